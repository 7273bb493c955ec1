package dev.switchboard.whatsapp.media;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.contracts.events.InboundEvent;
import dev.switchboard.contracts.events.MediaPart;
import dev.switchboard.contracts.events.MessagePart;
import dev.switchboard.contracts.events.UserMessage;
import dev.switchboard.whatsapp.client.GraphApiClient;
import dev.switchboard.whatsapp.client.TranscriptionClient;
import dev.switchboard.whatsapp.config.PhoneNumber;
import dev.switchboard.whatsapp.config.PhoneNumbers;
import dev.switchboard.whatsapp.mapping.InboundEventMapper;
import dev.switchboard.whatsapp.messaging.InboundEventPublisher;
import dev.switchboard.whatsapp.messaging.InboundEventPublisher.Outgoing;
import dev.switchboard.whatsapp.persistence.MediaJobEntity;
import dev.switchboard.whatsapp.persistence.MediaJobRepository;
import dev.switchboard.whatsapp.webhook.AcceptedMessage;
import dev.switchboard.whatsapp.webhook.AcceptedMessageListener;
import dev.switchboard.whatsapp.webhook.ChannelTexts;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Finishes voice notes and photos after the webhook has durably queued them: downloads the media
 * (its URL is valid about five minutes, fetched with the number's token), transcribes audio through
 * model-adapter, inlines photos for the chat model, and only then publishes the inbound event. A
 * failure is counted, published as a recorded-but-unanswered event, and answered by the channel
 * with a clear "couldn't open it" message. Jobs left behind by a crash are resumed.
 */
@ApplicationScoped
public class MediaWorker implements AcceptedMessageListener {
  private static final Logger LOG = Logger.getLogger(MediaWorker.class);

  /** Downloads larger than this are refused (WhatsApp's own audio limit is 16 MB). */
  static final int MAX_DOWNLOAD_BYTES = 16 * 1024 * 1024;

  /** Photos up to this size travel inline; Kafka records stay under 1 MB. */
  static final int MAX_INLINE_IMAGE_BYTES = 768 * 1024;

  private static final Duration STALE_AFTER = Duration.ofMinutes(2);

  private final MediaJobRepository jobs;
  private final PhoneNumbers numbers;
  private final GraphApiClient graph;
  private final TranscriptionClient transcription;
  private final InboundEventPublisher publisher;
  private final MeterRegistry metrics;
  private final ScheduledExecutorService executor =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "whatsapp-media");
            t.setDaemon(true);
            return t;
          });

  public MediaWorker(
      MediaJobRepository jobs,
      PhoneNumbers numbers,
      GraphApiClient graph,
      TranscriptionClient transcription,
      InboundEventPublisher publisher,
      MeterRegistry metrics) {
    this.jobs = jobs;
    this.numbers = numbers;
    this.graph = graph;
    this.transcription = transcription;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  /** Voice notes, audio and photos are understood before the core sees them. */
  public static boolean needsWork(MediaPart.Kind kind) {
    return kind == MediaPart.Kind.KIND_VOICE_NOTE
        || kind == MediaPart.Kind.KIND_AUDIO
        || kind == MediaPart.Kind.KIND_IMAGE;
  }

  @Override
  public void onAccepted(AcceptedMessage accepted) {
    String eventId = InboundEventMapper.eventIdOf(accepted.message().wamid());
    if (accepted.message().content()
        instanceof dev.switchboard.whatsapp.webhook.MessageContent.Media media) {
      if (needsWork(InboundEventMapper.kindOf(media.kind()))) {
        executor.execute(() -> process(eventId));
      }
    }
  }

  void start(@Observes StartupEvent startup) {
    executor.scheduleWithFixedDelay(this::resumeStale, 30, 30, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent shutdown) {
    executor.shutdownNow();
  }

  private void resumeStale() {
    try {
      for (String eventId : jobs.stale(Instant.now().minus(STALE_AFTER), 50)) {
        process(eventId);
      }
    } catch (RuntimeException e) {
      LOG.warnf("Could not resume media jobs: %s", e.getMessage());
    }
  }

  void process(String eventId) {
    MediaJobEntity job = jobs.pending(eventId).orElse(null);
    if (job == null) {
      return;
    }
    jobs.touch(eventId);
    InboundEvent event;
    try {
      event = InboundEvent.parseFrom(job.event);
    } catch (InvalidProtocolBufferException e) {
      jobs.finish(eventId, "FAILED", "stored event unreadable");
      return;
    }
    InboundEvent finished;
    String stage = "download";
    try {
      PhoneNumber number =
          numbers
              .byId(job.phoneNumberId)
              .orElseThrow(() -> new IllegalStateException("number no longer configured"));
      GraphApiClient.MediaDownload media =
          graph.downloadMedia(number, job.mediaId, MAX_DOWNLOAD_BYTES).get(60, TimeUnit.SECONDS);
      if ("KIND_IMAGE".equals(job.mediaKind)) {
        finished = withImage(event, media);
      } else {
        stage = "transcription";
        TranscriptionClient.Transcript transcript =
            transcription.transcribe(media.bytes(), media.mimeType());
        if (transcript.text().isBlank()) {
          throw new IllegalStateException("nothing was understood");
        }
        finished = withTranscript(event, transcript);
      }
    } catch (Exception e) {
      fail(eventId, event, stage, e);
      return;
    }
    try {
      publisher.publish(List.of(Outgoing.inbound(finished))).get(30, TimeUnit.SECONDS);
      jobs.finish(eventId, "DONE", null);
      metrics.counter("whatsapp.media.processed", "kind", job.mediaKind).increment();
    } catch (Exception e) {
      // Kafka is unavailable: the job stays PENDING and the sweep tries again.
      LOG.warnf("Media event %s not published yet: %s", eventId, e.getMessage());
    }
  }

  private void fail(String eventId, InboundEvent event, String stage, Exception error) {
    metrics.counter("whatsapp.media.failures", "stage", stage).increment();
    String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
    LOG.warnf(
        "Media of %s (subject %s) failed at %s: %s", eventId, event.getSubjectId(), stage, reason);
    InboundEvent recorded =
        event.toBuilder()
            .setUserMessage(event.getUserMessage().toBuilder().setExpectsReply(false))
            .build();
    try {
      publisher
          .publish(
              List.of(
                  Outgoing.inbound(recorded),
                  Outgoing.reply(
                      InboundEventMapper.channelReply(
                          event, "media-failed", ChannelTexts.MEDIA_FAILED))))
          .get(30, TimeUnit.SECONDS);
      jobs.finish(eventId, "FAILED", stage + ": " + reason);
    } catch (Exception e) {
      LOG.warnf("Media failure of %s not published yet: %s", eventId, e.getMessage());
    }
  }

  private static InboundEvent withTranscript(
      InboundEvent event, TranscriptionClient.Transcript transcript) {
    UserMessage.Builder message = event.getUserMessage().toBuilder();
    for (int i = 0; i < message.getPartsCount(); i++) {
      MessagePart part = message.getParts(i);
      if (part.hasMedia()) {
        message.setParts(
            i,
            part.toBuilder()
                .setMedia(part.getMedia().toBuilder().setTranscript(transcript.text())));
      }
    }
    message.addParts(MessagePart.newBuilder().setText(transcript.text()));
    if (!transcript.language().isEmpty()) {
      message.setLanguage(transcript.language());
    }
    return event.toBuilder().setUserMessage(message).build();
  }

  private InboundEvent withImage(InboundEvent event, GraphApiClient.MediaDownload media) {
    if (media.bytes().length > MAX_INLINE_IMAGE_BYTES) {
      metrics.counter("whatsapp.media.too.large.to.inline").increment();
      return event;
    }
    UserMessage.Builder message = event.getUserMessage().toBuilder();
    for (int i = 0; i < message.getPartsCount(); i++) {
      MessagePart part = message.getParts(i);
      if (part.hasMedia()) {
        message.setParts(
            i,
            part.toBuilder()
                .setMedia(
                    part.getMedia().toBuilder()
                        .setInlineData(ByteString.copyFrom(media.bytes()))
                        .setMimeType(media.mimeType())));
      }
    }
    return event.toBuilder().setUserMessage(message).build();
  }
}
