package dev.modelseal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
  @Test
  void write_nestedValues_compactInMapOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", List.of(1, true, Json.NULL));
    m.put("a", Map.of("k", "v"));
    m.put("n", new BigDecimal("2.5"));
    assertEquals("{\"z\":[1,true,null],\"a\":{\"k\":\"v\"},\"n\":2.5}", JsonWriter.write(m));
  }

  @Test
  void write_quotesAndControlCharacters_escaped() {
    assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\u0001\"", JsonWriter.write("a\"b\\c\n\r\t\u0001"));
  }

  @Test
  void write_writtenDocument_parsesBackEqual() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "x\u0000y");
    m.put("l", List.of("p", "q"));
    assertEquals(m, Json.parse(JsonWriter.write(m)));
  }

  @Test
  void write_unsupportedType_throwsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(new Object[0]));
    assertEquals("cannot write [Ljava.lang.Object; as JSON", e.getMessage());
  }
}
