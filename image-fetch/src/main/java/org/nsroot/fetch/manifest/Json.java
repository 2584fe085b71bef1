package org.nsroot.fetch.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of image-fetch: strict on duplicate keys, which hide ambiguity (D6). */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Writes a platform as descriptors carry it: architecture, os, and variant when there is one. */
  public static void putPlatform(com.fasterxml.jackson.databind.node.ObjectNode descriptor, Platform platform) {
    com.fasterxml.jackson.databind.node.ObjectNode p = descriptor.putObject("platform");
    p.put("architecture", platform.architecture());
    p.put("os", platform.os());
    if (!platform.variant().isEmpty()) {
      p.put("variant", platform.variant());
    }
  }

  static {
    MAPPER.getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }
}
