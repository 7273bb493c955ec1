package dev.switchboard.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything conversation-core can be told, under the prefix {@code switchboard}. */
@ConfigMapping(prefix = "switchboard")
public interface CoreConfig {

  /** How people are identified; shared with every other service. */
  Identity identity();

  /** Settings of the conversation core itself. */
  Core core();

  interface Identity {
    /**
     * Server pepper of {@code subject_id = HMAC-SHA256(pepper, E.164)}; must equal the channels'.
     */
    @WithDefault("dev-only-pepper-change-me-0001")
    String pepper();
  }

  interface Core {
    /**
     * AES-256 key (base64 of 32 bytes) that encrypts phone numbers at rest with AES-GCM. The dev
     * default is public: production must set {@code SWITCHBOARD_CORE_PHONE_ENCRYPTION_KEY}.
     */
    @WithDefault("ZGV2LW9ubHkta2V5LWNoYW5nZS1tZS0wMDAwMDAwMDA=")
    String phoneEncryptionKey();

    /** The name the assistant gives itself in prompts, greetings and disclosures. */
    @WithDefault("Switchboard")
    String assistantName();

    /** Model to ask for; unset lets the model gateway use its configured default. */
    Optional<String> model();

    /** Prompting and history. */
    Prompt prompt();

    /** Model-call deadlines and the apology when the gateway is down or slow. */
    ModelCall modelCall();

    /** A WhatsApp conversation ends after this much inactivity; the next message starts anew. */
    @WithDefault("30m")
    Duration whatsappLapse();

    /** Policy: quotas, countries, rate limits, disclosure. */
    Policy policy();

    /** Fixed texts the core sends without asking the model. */
    Texts texts();

    /**
     * One history per person across phone and WhatsApp; when false each conversation only sees its
     * own turns.
     */
    @WithDefault("true")
    boolean crossChannelHistory();

    /** Turns older than this are not part of the prompt, whatever the channel. */
    @WithDefault("24h")
    Duration historyMaxAge();

    /** How many events may be in flight at once (backpressure towards Kafka). */
    @WithDefault("1024")
    int maxInFlight();

    /** Threads doing blocking database work. */
    @WithDefault("8")
    int databaseThreads();
  }

  interface Prompt {
    /** System prompt for WhatsApp; {@code {name}} becomes the assistant name. */
    @WithDefault(
        "You are {name}, a helpful AI assistant people reach on WhatsApp. Answer in the language"
            + " the person writes in. Keep answers short and friendly. Light formatting is fine:"
            + " *bold*, _italic_ and short lists; no headings, tables or links in [text](url)"
            + " form.")
    String whatsapp();

    /** System prompt for phone calls; {@code {name}} becomes the assistant name. */
    @WithDefault(
        "You are {name}, a helpful AI assistant people talk to on the phone. Answer in the"
            + " language the caller speaks, in short spoken sentences. No Markdown, no emoji, no"
            + " lists. Say numbers, dates and symbols the way a person says them aloud.")
    String voice();

    /** Most recent turns considered for the prompt before the token budget trims further. */
    @WithDefault("40")
    int historyTurns();

    /** Rough token budget for the history part of the prompt (about four characters a token). */
    @WithDefault("3000")
    int historyTokenBudget();

    /** Output token cap passed to the model. */
    @WithDefault("512")
    int maxOutputTokens();
  }

  interface ModelCall {
    /** Time a WhatsApp turn may wait for the whole model answer before an apology is sent. */
    @WithDefault("8s")
    Duration whatsappDeadline();

    /** Time a voice turn may wait for the first sentence before an apology is spoken. */
    @WithDefault("3s")
    Duration voiceDeadline();

    /**
     * Longest a generation may stream, whatever it has said so far; past it the call is cut and the
     * apology follows, so a stalled stream never holds a conversation.
     */
    @WithDefault("60s")
    Duration generationLimit();

    /** Sent instead of an answer when the model gateway fails or is too slow. */
    @WithDefault("Sorry, I can't answer right now. Please try again in a moment.")
    String apology();
  }

  interface Policy {
    /** Monthly voice minutes per person. */
    @WithDefault("15")
    int monthlyVoiceMinutes();

    /** ISO 3166-1 alpha-2 regions whose callers are accepted. */
    @WithDefault("US")
    java.util.List<String> allowedCallingRegions();

    /** WhatsApp messages a person may send per rate window before getting the slow-down reply. */
    @WithDefault("20")
    int messagesPerWindow();

    /** The rate window. */
    @WithDefault("1m")
    Duration rateWindow();

    /** The WhatsApp disclosure line is shown again after this long without contact. */
    @WithDefault("90d")
    Duration disclosureRenewal();
  }

  interface Texts {
    /** First line of a reply to a new person on WhatsApp. {@code {name}} = assistant name. */
    @WithDefault(
        "_I'm {name}, an AI assistant. Our conversation may be reviewed for safety. Send"
            + " \"delete my data\" at any time to erase it._")
    String disclosure();

    /** Spoken when a call is accepted; includes the safety disclosure. */
    @WithDefault(
        "Hi, this is {name}, an AI assistant. Our conversation may be reviewed for safety. How can"
            + " I help?")
    String greeting();

    /** Spoken before hanging up on a caller whose monthly minutes are used up. */
    @WithDefault(
        "Sorry, you have used all of this month's minutes with {name}. Please call again next"
            + " month. Goodbye.")
    String quotaExhausted();

    /** Spoken before hanging up on a caller from a region we do not serve. */
    @WithDefault("Sorry, {name} is not available from your country yet. Goodbye.")
    String regionNotAllowed();

    /** Sent to a blocked person instead of an answer (both channels). */
    @WithDefault(
        "Sorry, your access to {name} is paused after a safety review. Please try again later.")
    String blocked();

    /** Sent when a person writes faster than the rate limit allows. */
    @WithDefault(
        "You're sending messages faster than I can keep up with. Please wait a minute and try"
            + " again.")
    String rateLimited();

    /** Confirms "start over". */
    @WithDefault("Okay, let's start over. What would you like to talk about?")
    String startedOver();

    /** Confirms "delete my data". */
    @WithDefault(
        "Your data has been deleted: our conversations and your number are gone from {name}."
            + " If you write again, we start fresh.")
    String erased();
  }
}
