package dev.switchboard.contracts.kafka;

import com.google.protobuf.MessageLite;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/** Writes any protobuf message in its binary form and marks the record's content type. */
public class ProtobufSerializer implements Serializer<MessageLite> {
  public static final String CONTENT_TYPE_HEADER = "content-type";
  public static final String CONTENT_TYPE = "application/x-protobuf";
  private static final byte[] CONTENT_TYPE_BYTES = CONTENT_TYPE.getBytes(StandardCharsets.US_ASCII);

  @Override
  public byte[] serialize(String topic, MessageLite message) {
    return message == null ? null : message.toByteArray();
  }

  @Override
  public byte[] serialize(String topic, Headers headers, MessageLite message) {
    if (headers != null && headers.lastHeader(CONTENT_TYPE_HEADER) == null) {
      headers.add(CONTENT_TYPE_HEADER, CONTENT_TYPE_BYTES);
    }
    return serialize(topic, message);
  }
}
