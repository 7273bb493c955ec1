package dev.switchboard.contracts.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads one protobuf message type. Subclass it per type so Kafka can instantiate it by class name.
 */
public abstract class ProtobufDeserializer<T extends MessageLite> implements Deserializer<T> {
  private final Parser<T> parser;

  protected ProtobufDeserializer(Parser<T> parser) {
    this.parser = parser;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return parser.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new SerializationException(
          "Record on " + topic + " is not a valid protobuf payload: " + e.getMessage(), e);
    }
  }
}
