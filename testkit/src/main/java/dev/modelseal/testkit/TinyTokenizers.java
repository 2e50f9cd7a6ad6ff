package dev.modelseal.testkit;

import java.nio.charset.StandardCharsets;

/**
 * Tiny Hugging Face tokenizer files generated in code, byte-for-byte deterministic, for DJL's
 * {@code HuggingFaceTokenizer}.
 *
 * <ul>
 *   <li>{@link #wordLevel()}: a {@code tokenizer.json} with a WordLevel model over six words, a whitespace
 *       pre-tokenizer and BERT's {@code [CLS]}/{@code [SEP]} post-processing: {@link #TEXT} encodes to {@link #IDS}
 *       (without special tokens).</li>
 *   <li>{@link #wordLevelTampered()}: the same file with one byte changed (the id of {@code "seal"}, 3 becomes 5):
 *       still valid JSON that loads and encodes, to {@link #TAMPERED_IDS}; only a signature can tell.</li>
 *   <li>{@link #tokenizerConfig()}: a {@code tokenizer_config.json}.</li>
 *   <li>{@link #bpeVocab()} and {@link #bpeMerges()}: {@code vocab.json} and {@code merges.txt} of a byte-pair
 *       model: {@link #BPE_TEXT} encodes to {@link #BPE_IDS}.</li>
 *   <li>{@link #onnxEncoder()}: an ONNX model with a BERT encoder's inputs and output, for text-embedding APIs that
 *       pair a model with a tokenizer (LangChain4j): {@code input_ids} and {@code attention_mask} (int64
 *       {@code [1, n]}) in, {@code last_hidden_state} (float {@code [1, n, 2]}) out, each token's vector being
 *       {@code [id, mask]}.</li>
 * </ul>
 */
public final class TinyTokenizers {
    /** Text that {@link #wordLevel()} encodes to {@link #IDS}. */
    public static final String TEXT = "hello sealed world seal";
    /** The ids of {@link #TEXT}: {@code sealed} is unknown. */
    public static final long[] IDS = {1, 0, 2, 3};
    /** The ids of {@link #TEXT} with {@link #wordLevelTampered()}. */
    public static final long[] TAMPERED_IDS = {1, 0, 2, 5};
    /**
     * Text for embedding APIs that drop a BERT tokenizer's first and last token (LangChain4j): every word is known, so
     * with special tokens it encodes to {@code [6, 1, 2, 3, 7]} ({@code [6, 1, 2, 5, 7]} tampered).
     */
    public static final String EMBED_TEXT = "hello world seal";
    /** Text that the byte-pair model encodes to {@link #BPE_IDS}. */
    public static final String BPE_TEXT = "hello";
    /** The ids of {@link #BPE_TEXT}: {@code he}, {@code ll}, {@code o}. */
    public static final long[] BPE_IDS = {5, 6, 3};

    private static final String WORD_LEVEL = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
            + "\"added_tokens\":[],\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
            + "\"post_processor\":{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",7],\"cls\":[\"[CLS]\",6]},"
            + "\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"[UNK]\":0,\"hello\":1,"
            + "\"world\":2,\"seal\":3,\"model\":4,\"signed\":5,\"[CLS]\":6,\"[SEP]\":7},\"unk_token\":\"[UNK]\"}}";

    private static final int ONNX_FLOAT = 1;
    private static final int ONNX_INT64 = 7;
    private static final int ATTRIBUTE_INT = 2;

    private TinyTokenizers() {
    }

    /** A WordLevel {@code tokenizer.json} (under 400 bytes). */
    public static byte[] wordLevel() {
        return WORD_LEVEL.getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #wordLevel()} with one byte changed: {@code "seal":3} becomes {@code "seal":5}. */
    public static byte[] wordLevelTampered() {
        byte[] b = wordLevel();
        int at = WORD_LEVEL.indexOf("\"seal\":3") + "\"seal\":".length();
        b[at] = '5';
        return b;
    }

    /** A {@code tokenizer_config.json}. */
    public static byte[] tokenizerConfig() {
        return "{\"model_max_length\":16,\"do_lower_case\":false}".getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code vocab.json} of the byte-pair model. */
    public static byte[] bpeVocab() {
        return "{\"h\":0,\"e\":1,\"l\":2,\"o\":3,\"<unk>\":4,\"he\":5,\"ll\":6}".getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code merges.txt} of the byte-pair model. */
    public static byte[] bpeMerges() {
        return "#version: 0.2\nh e\nl l\n".getBytes(StandardCharsets.UTF_8);
    }

    /** The ONNX encoder: {@code last_hidden_state[0][i] = [input_ids[0][i], attention_mask[0][i]]} as floats. */
    public static byte[] onnxEncoder() {
        ProtoWriter axes = new ProtoWriter().varint(1, 1).varint(2, ONNX_INT64).string(8, "axes")
                .bytes(9, new byte[] {2, 0, 0, 0, 0, 0, 0, 0});
        ProtoWriter graph = new ProtoWriter()
                .message(1, node("Cast", "to", ONNX_FLOAT, "ids_f", "input_ids"))
                .message(1, node("Cast", "to", ONNX_FLOAT, "mask_f", "attention_mask"))
                .message(1, node("Unsqueeze", null, 0, "ids_3", "ids_f", "axes"))
                .message(1, node("Unsqueeze", null, 0, "mask_3", "mask_f", "axes"))
                .message(1, node("Concat", "axis", 2, "last_hidden_state", "ids_3", "mask_3"))
                .string(2, "tiny_encoder")
                .message(5, axes)
                .message(11, valueInfo("input_ids", ONNX_INT64, 2))
                .message(11, valueInfo("attention_mask", ONNX_INT64, 2))
                .message(12, valueInfo("last_hidden_state", ONNX_FLOAT, 3));
        return new ProtoWriter()
                .varint(1, 7)
                .string(2, "modelseal-testkit")
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 13))
                .toByteArray();
    }

    /** A node {@code output = op(inputs)}, with one int attribute unless {@code attribute} is null. */
    private static ProtoWriter node(String op, String attribute, long value, String output, String... inputs) {
        ProtoWriter n = new ProtoWriter();
        for (String in : inputs) {
            n.string(1, in);
        }
        n.string(2, output).string(3, output).string(4, op);
        if (attribute != null) {
            n.message(5, new ProtoWriter().string(1, attribute).varint(3, value).varint(20, ATTRIBUTE_INT));
        }
        return n;
    }

    /** A tensor value of {@code rank} dimensions: 1, then symbolic ({@code n}), then 2. */
    private static ProtoWriter valueInfo(String name, int elementType, int rank) {
        ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().varint(1, 1))
                .message(1, new ProtoWriter().string(2, "n"));
        if (rank == 3) {
            shape.message(1, new ProtoWriter().varint(1, 2));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, elementType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
