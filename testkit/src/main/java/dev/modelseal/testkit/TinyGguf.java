package dev.modelseal.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny llama.cpp model generated in code, byte-for-byte deterministic: GGUF v3, architecture {@code llama}, one
 * layer, {@code n_embd} 8, two heads, feed-forward 16, F32 weights from a seeded generator, and a 262-token
 * SentencePiece vocabulary ({@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte tokens {@code <0x00>} to
 * {@code <0xFF>} and three more). About 21 KB; llama.cpp loads it and completes prompts (the text is noise).
 *
 * <p>llama.cpp refuses a file with tensors the architecture does not use, so every byte of weight data is a real
 * weight: a flipped bit anywhere in it still loads. The files end with the last tensor's data, so the last four
 * bytes are a weight ({@link #flipLastWeightBit}).
 *
 * <p>Also: the same model split into shards as llama.cpp's {@code gguf-split} writes them ({@link #shards}), and a
 * LoRA adapter for it ({@link #loraAdapter}).
 */
public final class TinyGguf {
    /** Vocabulary size. */
    public static final int VOCAB = 262;
    private static final int EMBD = 8;
    private static final int FF = 16;
    private static final int HEADS = 2;
    /** The tensor a {@link #loraAdapter} adapts. */
    public static final String LORA_TARGET = "blk.0.attn_q.weight";

    private TinyGguf() {
    }

    /** The model in one file. */
    public static byte[] model() {
        GgufWriter w = metadata(new GgufWriter());
        tensors().forEach(t -> w.tensor(t.name, t.values, t.dims));
        return w.toBytes();
    }

    /**
     * The model split into {@code count} shards, to be named {@code NAME-00001-of-0000N.gguf} and so on: the first
     * holds the metadata and every shard the split keys ({@code split.no} u16, {@code split.count} u16,
     * {@code split.tensors.count} i32, as {@code gguf-split} writes them); the tensors are shared out in order.
     */
    public static List<byte[]> shards(int count) {
        List<Tensor> all = tensors();
        List<byte[]> shards = new ArrayList<>();
        int per = (all.size() + count - 1) / count;
        for (int s = 0; s < count; s++) {
            GgufWriter w = new GgufWriter();
            if (s == 0) {
                metadata(w);
            }
            w.u16("split.no", s).u16("split.count", count).i32("split.tensors.count", all.size());
            for (Tensor t : all.subList(Math.min(all.size(), s * per), Math.min(all.size(), (s + 1) * per))) {
                w.tensor(t.name, t.values, t.dims);
            }
            shards.add(w.toBytes());
        }
        return shards;
    }

    /** The file name of shard {@code k} (from 1) of {@code count} for a model named {@code prefix}. */
    public static String shardName(String prefix, int k, int count) {
        return String.format("%s-%05d-of-%05d.gguf", prefix, k, count);
    }

    /**
     * A LoRA adapter ({@code general.type = adapter}, {@code adapter.type = lora}, rank 2) for
     * {@link #LORA_TARGET}: {@code .lora_a} of shape [8, 2] and {@code .lora_b} of shape [2, 8].
     */
    public static byte[] loraAdapter() {
        Random r = new Random(7);
        return new GgufWriter()
                .string("general.architecture", "llama")
                .string("general.type", "adapter")
                .string("adapter.type", "lora")
                .f32("adapter.lora.alpha", 2f)
                .tensor(LORA_TARGET + ".lora_a", weights(r, EMBD * 2), EMBD, 2)
                .tensor(LORA_TARGET + ".lora_b", weights(r, 2 * EMBD), 2, EMBD)
                .toBytes();
    }

    /** A copy of a GGUF file of this class with the lowest bit of its last weight flipped: it still loads. */
    public static byte[] flipLastWeightBit(byte[] gguf) {
        byte[] copy = gguf.clone();
        copy[copy.length - 4] ^= 0x01;
        return copy;
    }

    private static GgufWriter metadata(GgufWriter w) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        int[] types = new int[VOCAB];
        float[] scores = new float[VOCAB];
        types[0] = 2;
        types[1] = 3;
        types[2] = 3;
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types[3 + b] = 6;
        }
        tokens.addAll(List.of("\u2581", "a", "b"));
        for (int i = 259; i < VOCAB; i++) {
            types[i] = 1;
            scores[i] = -(i - 258);
        }
        return w.string("general.architecture", "llama")
                .string("general.name", "modelseal-tiny")
                .u32("llama.context_length", 128)
                .u32("llama.embedding_length", EMBD)
                .u32("llama.block_count", 1)
                .u32("llama.feed_forward_length", FF)
                .u32("llama.attention.head_count", HEADS)
                .u32("llama.attention.head_count_kv", HEADS)
                .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .string("tokenizer.ggml.model", "llama")
                .strings("tokenizer.ggml.tokens", tokens)
                .floats("tokenizer.ggml.scores", scores)
                .ints("tokenizer.ggml.token_type", types)
                .u32("tokenizer.ggml.unknown_token_id", 0)
                .u32("tokenizer.ggml.bos_token_id", 1)
                .u32("tokenizer.ggml.eos_token_id", 2);
    }

    private static List<Tensor> tensors() {
        Random r = new Random(42);
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("token_embd.weight", weights(r, EMBD * VOCAB), EMBD, VOCAB));
        t.add(new Tensor("output_norm.weight", ones(EMBD), EMBD));
        t.add(new Tensor("blk.0.attn_norm.weight", ones(EMBD), EMBD));
        for (String m : List.of("attn_q", "attn_k", "attn_v", "attn_output")) {
            t.add(new Tensor("blk.0." + m + ".weight", weights(r, EMBD * EMBD), EMBD, EMBD));
        }
        t.add(new Tensor("blk.0.ffn_norm.weight", ones(EMBD), EMBD));
        t.add(new Tensor("blk.0.ffn_gate.weight", weights(r, EMBD * FF), EMBD, FF));
        t.add(new Tensor("blk.0.ffn_up.weight", weights(r, EMBD * FF), EMBD, FF));
        t.add(new Tensor("blk.0.ffn_down.weight", weights(r, FF * EMBD), FF, EMBD));
        return t;
    }

    private static float[] weights(Random r, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (r.nextGaussian() * 0.5);
        }
        return w;
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    /** One tensor: name, F32 values and GGML dimensions. */
    private record Tensor(String name, float[] values, long... dims) {
    }
}
