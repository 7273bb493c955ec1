package dev.switchboard.modeladapter.chat.scripted;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads chat scripts from YAML or JSON (JSON is read by the YAML parser too). */
public final class ChatScriptLoader {

  /** Where the built-in script lives on the classpath. */
  public static final String BUILT_IN = "scripted/default-script.yaml";

  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private ChatScriptLoader() {}

  public static ChatScript fromFile(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return MAPPER.readValue(in, ChatScript.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot read chat script " + path + ": " + e.getMessage(), e);
    }
  }

  public static ChatScript builtIn() {
    try (InputStream in = ChatScriptLoader.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException("built-in chat script missing: " + BUILT_IN);
      }
      return MAPPER.readValue(in, ChatScript.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
