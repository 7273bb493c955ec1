package dev.switchboard.modeladapter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Every setting of the model gateway, under {@code switchboard.model}. */
@ConfigMapping(prefix = "switchboard.model")
public interface ModelAdapterConfig {

  /** Chat (text generation) settings. */
  Chat chat();

  /** The OpenAI-compatible provider shared by every capability that uses the openai backend. */
  OpenAi openai();

  /** The scripted chat backend. */
  Scripted scripted();

  /** Moderation (Moderation.Classify). */
  ModerationSettings moderation();

  /** Text-to-speech (TextToSpeech.Synthesize). */
  Tts tts();

  /** Text-to-speech settings. */
  interface Tts {
    /**
     * {@code local}, {@code openai}, or {@code auto} (openai when an API key is configured,
     * otherwise local).
     */
    @WithDefault("auto")
    String backend();

    /**
     * Local engine: {@code freetts} (pure Java), {@code espeak} (libespeak-ng, must be installed),
     * or {@code auto} (espeak-ng when the library loads, otherwise FreeTTS).
     */
    @WithDefault("auto")
    String localEngine();

    /** FreeTTS voices kept allocated, i.e. concurrent local syntheses. */
    @WithDefault("2")
    int freettsVoices();

    /** espeak-ng voice used when the request names no voice or language. */
    @WithDefault("en-us")
    String espeakVoice();

    /** Model for the openai backend's /audio/speech. */
    @WithDefault("gpt-4o-mini-tts")
    String openaiModel();

    /** Voice for the openai backend when the request names none. */
    @WithDefault("alloy")
    String openaiVoice();

    /** When the openai backend fails before any audio, synthesize locally instead. */
    @WithDefault("true")
    boolean fallbackToLocal();

    /** Longest gap allowed between two audio chunks (the first one included). */
    @WithDefault("15s")
    Duration outputGapTimeout();
  }

  /** Speech-to-text (SpeechToText.Transcribe and TranscribeFile). */
  Stt stt();

  /** Speech-to-text settings. */
  interface Stt {
    /**
     * {@code openai}, {@code local} (Vosk), or {@code auto} (openai when an API key is configured,
     * otherwise local).
     */
    @WithDefault("auto")
    String backend();

    /** Model for /audio/transcriptions; whisper-1 also reports the detected language. */
    @WithDefault("whisper-1")
    String openaiModel();

    /** Directory of an unpacked Vosk model (contains am/, conf/, graph/). */
    @WithDefault("models/vosk-model-small-en-us-0.15")
    Path voskModelDir();

    /** Headerless audio in a stream is transcribed at least every this many seconds. */
    @WithDefault("60")
    int maxUtteranceSeconds();

    /** Largest recording accepted (the OpenAI API's limit is 25 MB). */
    @WithDefault("26214400")
    int maxFileBytes();

    /** Longest wait for one transcription. */
    @WithDefault("60s")
    Duration timeout();
  }

  /** Moderation settings. */
  interface ModerationSettings {
    /**
     * {@code local} (rules/lexicon classifier), {@code openai}, or {@code auto} (openai when an API
     * key is configured, otherwise local).
     */
    @WithDefault("auto")
    String backend();

    /** Provider model for the openai backend. */
    @WithDefault("omni-moderation-latest")
    String model();

    /** When the openai backend fails, classify with the local classifier instead of erroring. */
    @WithDefault("true")
    boolean fallbackToLocal();

    /** Longest wait for a moderation answer. */
    @WithDefault("10s")
    Duration timeout();
  }

  /** Chat settings. */
  interface Chat {
    /**
     * Which backend answers chat: {@code openai}, {@code scripted}, or {@code auto} (openai when an
     * API key is configured, otherwise scripted).
     */
    @WithDefault("auto")
    String backend();

    /** Model name used when a request leaves {@code model} empty. */
    @WithDefault("gpt-4o-mini")
    String defaultModel();

    /**
     * When the primary backend fails, answer with the scripted apology instead of an error (the
     * failure is still counted in metrics).
     */
    @WithDefault("true")
    boolean fallbackToApology();

    /** Most concurrent chat streams to the primary backend (bulkhead); more are refused. */
    @WithDefault("512")
    int maxConcurrent();

    /** Consecutive provider failures (5xx, timeouts, drops) that open the circuit breaker. */
    @WithDefault("5")
    int circuitFailureThreshold();

    /** How long an open circuit refuses calls before one trial call is let through. */
    @WithDefault("30s")
    Duration circuitOpenFor();

    /** Longest gap allowed between two outputs of a stream (the first one included). */
    @WithDefault("60s")
    Duration outputGapTimeout();

    /** What the apology fallback says. */
    @WithDefault(
        "Sorry, I can't answer right now because the assistant is having trouble. Please try again in"
            + " a moment.")
    String apology();
  }

  /** An OpenAI-compatible HTTP endpoint. */
  interface OpenAi {
    /** API key; normally taken from the OPENAI_API_KEY environment variable. */
    Optional<String> apiKey();

    /** Base URL including the version path, e.g. https://api.openai.com/v1. */
    @WithDefault("https://api.openai.com/v1")
    String baseUrl();

    /** How long to wait for the TCP/TLS connection. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** How long to wait for the response headers and the first streamed byte. */
    @WithDefault("30s")
    Duration firstByteTimeout();

    /** Longest silence allowed between two streamed chunks once the answer has started. */
    @WithDefault("30s")
    Duration idleTimeout();

    /** Retries of a request that failed before its first byte (429, 5xx, connect errors). */
    @WithDefault("2")
    int maxRetries();

    /** Base back-off between retries; the actual wait is jittered around it. */
    @WithDefault("200ms")
    Duration retryBackoff();

    /** Maximum pooled HTTP connections to the provider (one per concurrent stream). */
    @WithDefault("256")
    int maxConnections();
  }

  /** The scripted chat backend. */
  interface Scripted {
    /**
     * Path of a YAML or JSON script; when absent the built-in script on the classpath ({@code
     * scripted/default-script.yaml}) is used.
     */
    Optional<Path> script();
  }
}
