package dev.switchboard.contracts.kafka;

import dev.switchboard.contracts.events.EnforcementAction;
import dev.switchboard.contracts.events.ErasureRequest;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.OutboundEvent;
import dev.switchboard.contracts.events.TranscriptTurn;

/** One deserializer class per event type, named in Kafka client configuration. */
public final class EventDeserializers {
  private EventDeserializers() {}

  public static class Inbound extends ProtobufDeserializer<InboundEvent> {
    public Inbound() {
      super(InboundEvent.parser());
    }
  }

  public static class Outbound extends ProtobufDeserializer<OutboundEvent> {
    public Outbound() {
      super(OutboundEvent.parser());
    }
  }

  public static class Transcript extends ProtobufDeserializer<TranscriptTurn> {
    public Transcript() {
      super(TranscriptTurn.parser());
    }
  }

  public static class Enforcement extends ProtobufDeserializer<EnforcementAction> {
    public Enforcement() {
      super(EnforcementAction.parser());
    }
  }

  public static class Erasure extends ProtobufDeserializer<ErasureRequest> {
    public Erasure() {
      super(ErasureRequest.parser());
    }
  }
}
