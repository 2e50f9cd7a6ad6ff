package dev.modelseal.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A tiny, real Llama model directory for Jlama ({@code com.github.tjake:jlama-core}), generated in code and
 * byte-for-byte deterministic: {@code config.json} ({@code model_type} llama, hidden size 64, 1 layer, 4 heads,
 * MLP 128, vocabulary 264), {@code tokenizer.json} (BPE with byte fallback: {@code <unk> <s> </s>}, the 256
 * {@code <0xNN>} byte tokens, five words), {@code tokenizer_config.json} and {@code model.safetensors} (F32
 * weights, about 305 KB, drawn from a seeded generator: another seed is another model of the same shape).
 */
public final class TinyJlamaModel {
    /** The weights file Jlama maps for a single-file model. */
    public static final String WEIGHTS = "model.safetensors";
    /** The files of the model directory, in the order they are written. */
    public static final String[] FILES = {"config.json", "tokenizer.json", "tokenizer_config.json", WEIGHTS};

    private static final int HIDDEN = 64;
    private static final int MLP = 128;
    private static final int VOCAB = 264;
    private static final String[] WORDS = {"▁hello", "▁world", "▁model", "▁seal", "▁jlama"};

    private TinyJlamaModel() {
    }

    /**
     * Writes the model directory {@code dir} (created if needed) with weights from {@code seed}.
     *
     * @return {@code dir}
     */
    public static Path write(Path dir, long seed) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), config());
            Files.writeString(dir.resolve("tokenizer.json"), tokenizer());
            Files.writeString(dir.resolve("tokenizer_config.json"),
                    "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\", \"legacy\": false}\n");
            Files.write(dir.resolve(WEIGHTS), safetensors(seed));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Flips the lowest bit of the first weight (a mantissa bit of {@code lm_head.weight[0][0]}) in the directory's
     * {@link #WEIGHTS}: still a valid model that Jlama loads and runs, so only a signature can tell.
     */
    public static void flipWeightBit(Path dir) {
        Path file = dir.resolve(WEIGHTS);
        try {
            byte[] bytes = Files.readAllBytes(file);
            long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            bytes[Math.toIntExact(8 + headerLength)] ^= 0x01;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String config() {
        return "{\n"
                + "  \"architectures\": [\"LlamaForCausalLM\"],\n"
                + "  \"model_type\": \"llama\",\n"
                + "  \"hidden_size\": " + HIDDEN + ",\n"
                + "  \"intermediate_size\": " + MLP + ",\n"
                + "  \"num_attention_heads\": 4,\n"
                + "  \"num_key_value_heads\": 4,\n"
                + "  \"num_hidden_layers\": 1,\n"
                + "  \"max_position_embeddings\": 128,\n"
                + "  \"rms_norm_eps\": 1e-05,\n"
                + "  \"vocab_size\": " + VOCAB + ",\n"
                + "  \"bos_token_id\": 1,\n"
                + "  \"eos_token_id\": 2,\n"
                + "  \"hidden_act\": \"silu\",\n"
                + "  \"rope_theta\": 10000.0,\n"
                + "  \"tie_word_embeddings\": false,\n"
                + "  \"torch_dtype\": \"float32\"\n"
                + "}\n";
    }

    private static String tokenizer() {
        StringBuilder vocab = new StringBuilder("\"<unk>\": 0, \"<s>\": 1, \"</s>\": 2");
        for (int b = 0; b < 256; b++) {
            vocab.append(String.format(", \"<0x%02X>\": %d", b, 3 + b));
        }
        for (int i = 0; i < WORDS.length; i++) {
            vocab.append(", \"").append(WORDS[i]).append("\": ").append(259 + i);
        }
        return "{\n"
                + "  \"version\": \"1.0\",\n"
                + "  \"added_tokens\": [\n"
                + "    {\"id\": 0, \"content\": \"<unk>\", \"special\": true},\n"
                + "    {\"id\": 1, \"content\": \"<s>\", \"special\": true},\n"
                + "    {\"id\": 2, \"content\": \"</s>\", \"special\": true}\n"
                + "  ],\n"
                + "  \"model\": {\"type\": \"BPE\", \"unk_token\": \"<unk>\", \"fuse_unk\": true, \"byte_fallback\": true,"
                + " \"ignore_merges\": false, \"vocab\": {" + vocab + "}, \"merges\": []}\n"
                + "}\n";
    }

    /** The tensors a Jlama Llama model of one layer loads, with their shapes ({@code [rows, columns]}). */
    private static Map<String, int[]> tensors() {
        Map<String, int[]> t = new LinkedHashMap<>();
        t.put("lm_head.weight", new int[] {VOCAB, HIDDEN});
        t.put("model.embed_tokens.weight", new int[] {VOCAB, HIDDEN});
        t.put("model.norm.weight", new int[] {HIDDEN});
        String layer = "model.layers.0.";
        t.put(layer + "input_layernorm.weight", new int[] {HIDDEN});
        t.put(layer + "post_attention_layernorm.weight", new int[] {HIDDEN});
        for (String p : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
            t.put(layer + "self_attn." + p + ".weight", new int[] {HIDDEN, HIDDEN});
        }
        t.put(layer + "mlp.gate_proj.weight", new int[] {MLP, HIDDEN});
        t.put(layer + "mlp.up_proj.weight", new int[] {MLP, HIDDEN});
        t.put(layer + "mlp.down_proj.weight", new int[] {HIDDEN, MLP});
        return t;
    }

    /** A safetensors file: 8-byte little-endian header length, the JSON header (space-padded to 8), the data. */
    private static byte[] safetensors(long seed) {
        Map<String, int[]> tensors = tensors();
        StringBuilder header = new StringBuilder("{\"__metadata__\": {\"format\": \"pt\"}");
        long offset = 0;
        for (Map.Entry<String, int[]> e : tensors.entrySet()) {
            int[] shape = e.getValue();
            long size = 4L * elements(shape);
            header.append(", \"").append(e.getKey()).append("\": {\"dtype\": \"F32\", \"shape\": [")
                    .append(shape[0]).append(shape.length > 1 ? ", " + shape[1] : "").append("], \"data_offsets\": [")
                    .append(offset).append(", ").append(offset + size).append("]}");
            offset += size;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        Random random = new Random(seed);
        for (Map.Entry<String, int[]> e : tensors.entrySet()) {
            boolean norm = e.getValue().length == 1;
            for (long i = elements(e.getValue()); i > 0; i--) {
                out.putFloat(norm ? 1f : (float) (random.nextGaussian() * 0.2));
            }
        }
        return out.array();
    }

    private static long elements(int[] shape) {
        return shape.length == 1 ? shape[0] : (long) shape[0] * shape[1];
    }
}
