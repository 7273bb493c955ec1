package dev.switchboard.devstack;

import dev.switchboard.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The topics of ARCHITECTURE.md section 2, with explicit partition counts for one machine. */
public final class TopicPlan {
  /** One topic to create. */
  public record TopicSpec(String name, int partitions, Map<String, String> config) {}

  /** Voice node N reads partition N of the voice outbound topic; one machine runs node 0. */
  public static final int VOICE_NODES = 4;

  private static final int CONVERSATION_PARTITIONS = 8;

  private TopicPlan() {}

  public static List<TopicSpec> topics() {
    Map<String, String> compacted = Map.of("cleanup.policy", "compact");
    List<TopicSpec> base =
        List.of(
            new TopicSpec(Topics.INBOUND, CONVERSATION_PARTITIONS, Map.of()),
            new TopicSpec(Topics.OUTBOUND_WHATSAPP, CONVERSATION_PARTITIONS, Map.of()),
            new TopicSpec(Topics.OUTBOUND_VOICE, VOICE_NODES, Map.of()),
            new TopicSpec(Topics.SAFETY_TRANSCRIPTS, CONVERSATION_PARTITIONS, Map.of()),
            new TopicSpec(Topics.SAFETY_ENFORCEMENT, 4, compacted),
            new TopicSpec(Topics.PRIVACY_ERASURE, 4, Map.of()));
    List<TopicSpec> all = new ArrayList<>(base);
    for (TopicSpec topic : base) {
      all.add(new TopicSpec(Topics.deadLetterOf(topic.name()), 1, Map.of()));
    }
    return all;
  }
}
