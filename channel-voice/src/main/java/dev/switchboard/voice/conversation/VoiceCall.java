package dev.switchboard.voice.conversation;

import dev.switchboard.voice.call.CallControl;
import dev.switchboard.voice.call.CallEndReason;
import dev.switchboard.voice.client.SynthesisListener;
import dev.switchboard.voice.client.TranscriptListener;
import dev.switchboard.voice.media.CallMedia;
import dev.switchboard.voice.media.TurnStage;
import dev.switchboard.voice.media.TurnTimeline;
import dev.switchboard.voice.messaging.VoiceEvents.EndReason;
import dev.switchboard.voice.pipeline.DtmfFrame;
import dev.switchboard.voice.pipeline.Frame;
import dev.switchboard.voice.pipeline.InterruptionFrame;
import dev.switchboard.voice.pipeline.SpeechDiscardedFrame;
import dev.switchboard.voice.pipeline.SpeechRecognizer;
import dev.switchboard.voice.pipeline.UserStartedSpeakingFrame;
import dev.switchboard.voice.pipeline.UserStoppedSpeakingFrame;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One call's conversation: turns the media pipeline's decisions and the recognizer's transcripts
 * into inbound events, and the core's commands into speech; runs the call's timers (silence,
 * maximum duration) and logs one line per turn with its stage latencies (subject id only). Each
 * caller turn and each reply played is a span ({@link CallTraces}).
 */
final class VoiceCall {
  private static final Logger LOG = Logger.getLogger(VoiceCall.class);
  private static final long SILENCE_CHECK_MS = 250;

  private final CallFacts facts;
  private final CallControl control;
  private final CallServices services;
  private final CallTraces traces;
  private final Context invite;
  private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> timers = new CopyOnWriteArrayList<>();
  private final Map<String, TurnTimeline> turnsByUtterance = new ConcurrentHashMap<>();
  private CallMedia media;
  private ReplySequencer sequencer;
  private volatile String language = "";
  private volatile boolean accepted;
  private volatile boolean ending;
  private volatile EndReason endReason;
  private volatile boolean userSpeaking;
  private volatile long lastActivityNanos = System.nanoTime();
  private volatile boolean silencePrompted;
  private volatile String lastUserEventId;
  private volatile TurnTimeline turn;
  private volatile String turnId;
  private volatile long speechStartedNanos;
  private final CallTally tally = new CallTally();
  private volatile boolean onHold;

  /** The chunks of the reply to {@link #replyChunksFor}, in the order they were queued. */
  private final List<HeardText.SpokenChunk> replyChunks = new CopyOnWriteArrayList<>();

  private volatile String replyChunksFor;

  /**
   * @param invite the trace the call's INVITE began: call_started continues it, later traces of the
   *     call link back to it
   */
  VoiceCall(CallFacts facts, CallControl control, CallServices services, Context invite) {
    this.facts = facts;
    this.control = control;
    this.services = services;
    this.invite = invite;
    this.traces =
        new CallTraces(
            services.tracer(), facts.subjectId(), Span.fromContext(invite).getSpanContext());
  }

  /** The call's recognizer, each utterance traced as the start of its turn's trace. */
  SpeechRecognizer traced(SpeechRecognizer recognizer) {
    return traces.traced(recognizer, this::beginTurn);
  }

  /** Attaches the media once it exists (the media needs this call's listeners first). */
  void attach(CallMedia media) {
    this.media = media;
    this.sequencer = new ReplySequencer(media.playout());
  }

  /**
   * The caller put the call on hold ({@code true}) or resumed it: the media stops sending and
   * listening (playback waits where it stopped) and the silence timeout is suspended; on resume
   * playback continues with the next frame, and the silence timeout starts afresh.
   *
   * @return whether the hold state changed
   */
  synchronized boolean hold(boolean hold) {
    if (onHold == hold || media == null) {
      return false;
    }
    if (hold) {
      media.hold();
    } else {
      media.resume();
      touch();
    }
    onHold = hold;
    return true;
  }

  boolean onHold() {
    return onHold;
  }

  CallFacts facts() {
    return facts;
  }

  String nextEventId(String kind) {
    int n = counters.computeIfAbsent(kind, k -> new AtomicInteger()).getAndIncrement();
    return facts.conversationId() + ":" + kind + ":" + n;
  }

  void publishStarted() {
    services
        .publisher()
        .publish(
            services.events().callStarted(facts, nextEventId("call_started")),
            invite,
            traces.call());
    timers.add(
        services
            .timers()
            .scheduleAtFixedRate(
                this::checkSilence, SILENCE_CHECK_MS, SILENCE_CHECK_MS, TimeUnit.MILLISECONDS));
  }

  /**
   * The caller's utterance ended (endpointing decided): a turn begins. Runs as the recognizer's
   * stream is finished, before its final transcript can arrive; the pipeline's {@code
   * UserStoppedSpeakingFrame} reaches {@link #onPipelineFrame} only after that and may come later
   * than the transcript when the pipeline threads are busy.
   */
  private void beginTurn() {
    TurnTimeline next = new TurnTimeline();
    next.mark(TurnStage.END_OF_SPEECH, System.nanoTime());
    turn = next;
    traces.turnStarted();
  }

  // ---- from the media pipeline (one at a time, on the pipeline executor) ----

  void onPipelineFrame(Frame frame) {
    if (frame instanceof UserStartedSpeakingFrame) {
      tally.speechStarts.incrementAndGet();
      userSpeaking = true;
      touch();
    } else if (frame instanceof UserStoppedSpeakingFrame) {
      tally.utterances.incrementAndGet();
      userSpeaking = false;
      touch();
    } else if (frame instanceof SpeechDiscardedFrame) {
      tally.discarded.incrementAndGet();
    } else if (frame instanceof InterruptionFrame) {
      tally.interruptions.incrementAndGet();
      if (sequencer != null) {
        sequencer.interrupt();
      }
      traces.interrupted();
      String replyTo = lastUserEventId;
      // The playout queue stopped before this frame was sent here: its counts are final.
      String heard =
          replyTo != null && replyTo.equals(replyChunksFor) && media != null
              ? HeardText.of(List.copyOf(replyChunks), media.playout()::progress)
              : "";
      services
          .publisher()
          .publish(
              services
                  .events()
                  .interrupted(
                      facts,
                      nextEventId("interrupted"),
                      replyTo,
                      (int) ((System.nanoTime() - speechStartedNanos) / 1_000_000),
                      heard),
              Context.root(),
              traces.call());
    } else if (frame instanceof DtmfFrame dtmf) {
      touch();
      boolean sipInfo = dtmf.digit().rtpTimestamp() < 0;
      services
          .publisher()
          .publish(
              services
                  .events()
                  .dtmf(
                      facts,
                      nextEventId("dtmf"),
                      dtmf.digit().digit(),
                      sipInfo,
                      dtmf.digit().durationMillis()),
              Context.root(),
              traces.call());
    }
  }

  /** The recognizer's view of the caller's speech. */
  TranscriptListener transcripts() {
    return new TranscriptListener() {
      @Override
      public void onPartial(String text) {
        CallMedia m = media;
        if (m != null) {
          m.onPartialTranscript(text);
        }
      }

      @Override
      public void onFinal(String text, String detectedLanguage) {
        onTranscript(text, detectedLanguage);
      }

      @Override
      public void onError(String reason) {
        tally.sttFailures.incrementAndGet();
        services.sttFailures().increment();
        traces.endTurn("stt_failed", true);
        LOG.warnf("Speech-to-text failed on call of subject %s: %s", facts.subjectId(), reason);
        speakPrompt(services.settings().apologyPrompt(), true);
      }
    };
  }

  private void onTranscript(String text, String detectedLanguage) {
    TurnTimeline current = turn;
    if (current != null) {
      current.mark(TurnStage.FINAL_TRANSCRIPT, System.nanoTime());
    }
    if (text == null || text.isBlank() || ending) {
      tally.emptyTranscripts.incrementAndGet();
      traces.endTurn(ending ? "call_ending" : "no_words", false);
      return;
    }
    tally.userMessages.incrementAndGet();
    touch();
    String eventId = nextEventId("user_message");
    lastUserEventId = eventId;
    turnId = eventId;
    traces.turnEvent("final transcript");
    services
        .publisher()
        .publish(
            services
                .events()
                .userMessage(
                    facts,
                    eventId,
                    text,
                    detectedLanguage == null || detectedLanguage.isEmpty()
                        ? language
                        : detectedLanguage),
            traces.turnContext(),
            traces.call());
    traces.endTurn("published", false);
  }

  // ---- commands from the core (consumer thread) ----

  void onCommand(OutboundCommand command) {
    if (command instanceof OutboundCommand.Accept accept) {
      language = accept.language();
      accepted = true;
      touch();
      speak(accept.greeting(), accept.language(), accept.eventId(), "greeting", false, true, null);
      prewarmPrompts(accept.language());
      scheduleLimit(accept.maxDurationSeconds());
    } else if (command instanceof OutboundCommand.Refuse refuse) {
      endReason = EndReason.REFUSED;
      speak(refuse.text(), language, refuse.eventId(), "refusal", false, false, null);
      hangUpAfterSpeech(EndReason.REFUSED);
    } else if (command instanceof OutboundCommand.Chunk chunk) {
      tally.replyChunks.incrementAndGet();
      touch();
      TurnTimeline current = turn;
      if (current != null && chunk.inReplyTo().equals(turnId)) {
        current.mark(TurnStage.FIRST_REPLY_CHUNK, System.nanoTime());
        turnsByUtterance.put(chunk.eventId(), current);
      }
      rememberChunk(chunk);
      speak(
          chunk.text(),
          chunk.language().isEmpty() ? language : chunk.language(),
          chunk.eventId(),
          "reply_chunk",
          true,
          false,
          current);
    }
  }

  /** Keeps the text of the latest reply's chunks, to tell the core what was heard of it. */
  private synchronized void rememberChunk(OutboundCommand.Chunk chunk) {
    if (!chunk.inReplyTo().equals(replyChunksFor)) {
      replyChunks.clear();
      replyChunksFor = chunk.inReplyTo();
    }
    if (replyChunks.stream().noneMatch(c -> c.utteranceId().equals(chunk.eventId()))) {
      replyChunks.add(new HeardText.SpokenChunk(chunk.eventId(), chunk.text()));
    }
  }

  /** A packet of {@code utteranceId} left first; closes the turn it answers. */
  void onFirstPacket(String utteranceId, long nanos) {
    speechStartedNanos = nanos; // what the caller heard of the current utterance starts here
    traces.firstPacket(utteranceId, nanos);
    TurnTimeline timeline = turnsByUtterance.remove(utteranceId);
    if (timeline == null || timeline != turn) {
      return;
    }
    timeline.mark(TurnStage.FIRST_RTP_PACKET, nanos);
    turn = null;
    timeline
        .stageMillis()
        .forEach(
            (stage, ms) -> {
              var timer = services.stageTimers().get(stage);
              if (timer != null) {
                timer.record(Duration.ofMillis(ms));
              }
            });
    timeline
        .millisBetween(TurnStage.END_OF_SPEECH, TurnStage.FIRST_RTP_PACKET)
        .ifPresent(ms -> services.turnTotal().record(Duration.ofMillis(ms)));
    LOG.info(timeline.logLine(facts.subjectId(), turnId));
  }

  // ---- speech out ----

  private void speak(
      String text,
      String lang,
      String utteranceId,
      String kind,
      boolean interruptible,
      boolean cacheable,
      TurnTimeline timeline) {
    if (text == null || text.isBlank() || sequencer == null) {
      return;
    }
    String key = lang + "|" + text;
    CallServices.Prompt cached = cacheable ? services.prompts().get(key) : null;
    Span play = traces.startPlay(utteranceId, kind, text.length(), cached != null, interruptible);
    ReplySequencer.Job job = sequencer.add(utteranceId, interruptible);
    if (cached != null) {
      job.audio(cached.samples(), cached.sampleRate());
      job.complete();
      return;
    }
    // The TTS request is made inside the play span, so its gRPC span and model-adapter's join it.
    try (Scope scope = play.makeCurrent()) {
      synthesize(text, lang, utteranceId, key, job, play, cacheable, timeline);
    }
  }

  private void synthesize(
      String text,
      String lang,
      String utteranceId,
      String key,
      ReplySequencer.Job job,
      Span play,
      boolean cacheable,
      TurnTimeline timeline) {
    int rate = services.settings().ttsSampleRate();
    ByteArrayOutputStream whole = cacheable ? new ByteArrayOutputStream() : null;
    int[] wholeRate = {rate};
    services
        .speech()
        .synthesize(
            text,
            lang,
            rate,
            new SynthesisListener() {
              private boolean first = true;

              @Override
              public void onAudio(short[] samples, int sampleRate) {
                if (timeline != null) {
                  timeline.mark(TurnStage.FIRST_TTS_AUDIO, System.nanoTime());
                }
                if (first) {
                  first = false;
                  play.addEvent("first tts audio");
                }
                if (whole != null) {
                  wholeRate[0] = sampleRate;
                  for (short s : samples) {
                    whole.write(s & 0xFF);
                    whole.write((s >> 8) & 0xFF);
                  }
                }
                job.audio(samples, sampleRate);
              }

              @Override
              public void onComplete() {
                job.complete();
                if (whole != null) {
                  byte[] bytes = whole.toByteArray();
                  short[] all = new short[bytes.length / 2];
                  for (int i = 0; i < all.length; i++) {
                    all[i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
                  }
                  services.prompts().put(key, new CallServices.Prompt(all, wholeRate[0]));
                }
              }

              @Override
              public void onError(String reason) {
                services.ttsFailures().increment();
                traces.playFailed(utteranceId, "tts failed");
                LOG.warnf(
                    "Text-to-speech failed for %s (subject %s): %s",
                    utteranceId, facts.subjectId(), reason);
                job.complete();
                CallServices.Prompt apology =
                    services.prompts().get(language + "|" + services.settings().apologyPrompt());
                if (apology != null && !text.equals(services.settings().apologyPrompt())) {
                  ReplySequencer.Job sorry = sequencer.add(utteranceId + ":apology", true);
                  sorry.audio(apology.samples(), apology.sampleRate());
                  sorry.complete();
                }
              }
            });
  }

  /**
   * Synthesizes the fixed prompts of the call's language into the cache ahead of need, so the
   * apology still plays when TTS is down later and the goodbye starts on the next tick.
   */
  private void prewarmPrompts(String lang) {
    VoiceConfigPrompts.of(services.settings())
        .forEach(
            text -> {
              String key = lang + "|" + text;
              if (services.prompts().containsKey(key) || !services.warming().add(key)) {
                return;
              }
              ByteArrayOutputStream whole = new ByteArrayOutputStream();
              int[] rate = {services.settings().ttsSampleRate()};
              services
                  .speech()
                  .synthesize(
                      text,
                      lang,
                      rate[0],
                      new SynthesisListener() {
                        @Override
                        public void onAudio(short[] samples, int sampleRate) {
                          rate[0] = sampleRate;
                          synchronized (whole) {
                            for (short s : samples) {
                              whole.write(s & 0xFF);
                              whole.write((s >> 8) & 0xFF);
                            }
                          }
                        }

                        @Override
                        public void onComplete() {
                          byte[] bytes = whole.toByteArray();
                          short[] all = new short[bytes.length / 2];
                          for (int i = 0; i < all.length; i++) {
                            all[i] = (short) ((bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] << 8));
                          }
                          services
                              .prompts()
                              .putIfAbsent(key, new CallServices.Prompt(all, rate[0]));
                          services.warming().remove(key);
                        }

                        @Override
                        public void onError(String reason) {
                          services.warming().remove(key);
                          services.ttsFailures().increment();
                        }
                      });
            });
  }

  /** Fixed prompts are cached after their first synthesis, so they play at once next time. */
  private void speakPrompt(String text, boolean interruptible) {
    speak(text, language, nextEventId("prompt"), "prompt", interruptible, true, null);
  }

  // ---- timers ----

  private void touch() {
    lastActivityNanos = System.nanoTime();
    silencePrompted = false;
  }

  private void checkSilence() {
    if (!accepted || ending || media == null) {
      return;
    }
    if (onHold) {
      // Nobody is listening and hold music is not an answer: the timeout starts again on resume.
      lastActivityNanos = System.nanoTime();
      return;
    }
    if (userSpeaking || media.playout().isPlaying() || sequencer.pending()) {
      lastActivityNanos = System.nanoTime();
      return;
    }
    long quietNanos = System.nanoTime() - lastActivityNanos;
    if (quietNanos < services.settings().silenceTimeout().toNanos()) {
      return;
    }
    if (!silencePrompted) {
      speakPrompt(services.settings().stillTherePrompt(), true);
      lastActivityNanos = System.nanoTime();
      silencePrompted = true;
    } else {
      goodbye(EndReason.SILENCE);
    }
  }

  private void scheduleLimit(int maxDurationSeconds) {
    if (maxDurationSeconds <= 0) {
      return;
    }
    long elapsedMs = Duration.between(facts.startedAt(), Instant.now()).toMillis();
    long limitMs = maxDurationSeconds * 1000L - elapsedMs;
    long warnMs = limitMs - services.settings().timeLimitWarning().toMillis();
    if (warnMs > 0) {
      timers.add(
          services
              .timers()
              .schedule(
                  () -> speakPrompt(services.settings().timeLimitWarningPrompt(), false),
                  warnMs,
                  TimeUnit.MILLISECONDS));
    }
    timers.add(
        services
            .timers()
            .schedule(
                () -> goodbye(EndReason.TIME_LIMIT), Math.max(0, limitMs), TimeUnit.MILLISECONDS));
  }

  private void goodbye(EndReason reason) {
    if (ending) {
      return;
    }
    ending = true;
    endReason = reason;
    sequencer.interrupt();
    media.playout().interrupt();
    speakPrompt(services.settings().goodbyePrompt(), false);
    hangUpAfterSpeech(reason);
  }

  /** Hangs up once everything queued has been played (at most 30 s later). */
  private void hangUpAfterSpeech(EndReason reason) {
    ending = true;
    endReason = reason;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    timers.add(
        services
            .timers()
            .scheduleAtFixedRate(
                () -> {
                  // A caller on hold cannot hear the goodbye: the BYE goes at once.
                  boolean speaking =
                      !onHold && (sequencer.pending() || media.playout().isPlaying());
                  if (!speaking || System.nanoTime() > deadline) {
                    control.hangUp(facts.callId(), CallEndReason.WE_HUNG_UP);
                    throw new IllegalStateException("done"); // stops this periodic task
                  }
                },
                100,
                100,
                TimeUnit.MILLISECONDS));
  }

  // ---- end ----

  /** What happened in the call, for its end-of-call log line (counts only, no content). */
  CallTally tally() {
    return tally;
  }

  void end(CallEndReason reason) {
    timers.forEach(t -> t.cancel(false));
    EndReason mapped =
        switch (reason) {
          case CALLER_HUNG_UP, CALLER_CANCELLED -> EndReason.CALLER_HUNG_UP;
          case WE_HUNG_UP, TRANSFERRED ->
              endReason != null ? endReason : EndReason.ASSISTANT_HUNG_UP;
          case ACK_TIMEOUT, SESSION_EXPIRED -> EndReason.MEDIA_FAILURE;
          case SHUTDOWN -> EndReason.SHUTDOWN;
          case TIME_LIMIT -> EndReason.TIME_LIMIT;
        };
    int seconds = (int) Duration.between(facts.startedAt(), Instant.now()).toSeconds();
    traces.callEnded();
    services
        .publisher()
        .publish(
            services.events().callEnded(facts, nextEventId("call_ended"), mapped, seconds),
            Context.root(),
            traces.call());
  }
}
