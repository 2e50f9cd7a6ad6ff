package dev.modelseal.testkit;

import java.nio.charset.StandardCharsets;

/**
 * Tiny Hugging Face tokenizer files generated in code, byte-for-byte deterministic, for DJL's
 * {@code HuggingFaceTokenizer}.
 *
 * <ul>
 *   <li>{@link #wordLevel()}: a {@code tokenizer.json} with a WordLevel model over six words and a whitespace
 *       pre-tokenizer: {@link #TEXT} encodes to {@link #IDS}.</li>
 *   <li>{@link #wordLevelTampered()}: the same file with one byte changed (the id of {@code "seal"}, 3 becomes 5):
 *       still valid JSON that loads and encodes, to {@link #TAMPERED_IDS}; only a signature can tell.</li>
 *   <li>{@link #tokenizerConfig()}: a {@code tokenizer_config.json}.</li>
 *   <li>{@link #bpeVocab()} and {@link #bpeMerges()}: {@code vocab.json} and {@code merges.txt} of a byte-pair
 *       model: {@link #BPE_TEXT} encodes to {@link #BPE_IDS}.</li>
 * </ul>
 */
public final class TinyTokenizers {
    /** Text that {@link #wordLevel()} encodes to {@link #IDS}. */
    public static final String TEXT = "hello sealed world seal";
    /** The ids of {@link #TEXT}: {@code sealed} is unknown. */
    public static final long[] IDS = {1, 0, 2, 3};
    /** The ids of {@link #TEXT} with {@link #wordLevelTampered()}. */
    public static final long[] TAMPERED_IDS = {1, 0, 2, 5};
    /** Text that the byte-pair model encodes to {@link #BPE_IDS}. */
    public static final String BPE_TEXT = "hello";
    /** The ids of {@link #BPE_TEXT}: {@code he}, {@code ll}, {@code o}. */
    public static final long[] BPE_IDS = {5, 6, 3};

    private static final String WORD_LEVEL = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
            + "\"added_tokens\":[],\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
            + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{"
            + "\"[UNK]\":0,\"hello\":1,\"world\":2,\"seal\":3,\"model\":4,\"signed\":5},\"unk_token\":\"[UNK]\"}}";

    private TinyTokenizers() {
    }

    /** A WordLevel {@code tokenizer.json} (about 300 bytes). */
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
}
