package dev.switchboard.modeladapter.moderation;

import static dev.switchboard.modeladapter.moderation.ModerationCategory.*;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A local, rules-based classifier over the OpenAI moderation categories: no key, no network.
 *
 * <p>How it scores: the text is normalised (lower case, straight apostrophes, single spaces),
 * phrases known to be benign idioms are blanked out ("kill the process", "shoot you an email"),
 * then weighted phrase patterns fire per category. A category's score is the noisy-or of the
 * weights that fired, so two independent signals score higher than one. Patterns look for harm
 * aimed at a person ("kill him", "I'm going to hurt you") rather than single words, which is what
 * keeps "this recipe is killer" or "kill the child process" at zero. It is a safety net and a demo
 * default, not a substitute for a trained model.
 */
public final class LexiconModerationBackend implements ModerationBackend {

  public static final String NAME = "local";
  private static final double FLAG_THRESHOLD = 0.5;

  private record Rule(ModerationCategory category, Pattern pattern, double weight) {}

  private static final String PERSON =
      "(you|him|her|them|yourself|everyone|everybody|people|somebody|someone|y'all|u"
          + "|my (wife|husband|boss|neighbou?r|mother|mom|father|dad|teacher|ex|brother|sister"
          + "|son|daughter|girlfriend|boyfriend|family|coworker|classmates?))";

  /** Verbs that are violent on their own when aimed at a person. */
  private static final String KILL_VERB =
      "(kill|murder|stab|shoot|strangle|slaughter|butcher|torture|behead)";

  /**
   * Verbs that are violent only with stated intent ("I'm going to hurt you", not "did I hurt you").
   */
  private static final String HARM_VERB =
      "(kill|murder|stab|shoot|strangle|choke|beat|hurt|attack|slaughter|butcher|torture|behead"
          + "|punch|rape)";

  private static final String INTENT =
      "(i'm going to|i am going to|im going to|i'm gonna|im gonna|i will|i'll|ill|i want to|i'm"
          + " about to|we will|we're going to|i plan to)";
  private static final String ASKING_HOW =
      "(how (do|can|could|would|should) i|how to|best way to|easiest way to|painless way to"
          + "|quickest way to|steps to|teach me (how )?to|help me)";
  private static final String GROUP =
      "(immigrants|refugees|muslims|jews|christians|hindus|sikhs|blacks|whites|asians|mexicans"
          + "|arabs|gays|lesbians|trans people|transgender people|women|men|foreigners|africans"
          + "|indians|chinese|gypsies|roma)";
  private static final String MINOR =
      "(child|children|kid|kids|minor|minors|underage|under-age|preteen|pre-teen|schoolgirl"
          + "|schoolboy|little girl|little boy|toddler|([1-9]|1[0-7]) ?(yo|y/o|years? old))";
  private static final String SEXUAL_ACT =
      "(sex|sexual|nude|nudes|naked|porn|porno|pornographic|erotic|blowjob|intercourse|molest"
          + "|fondle|explicit pics?)";
  private static final String SELF_HARM_ACT =
      "(kill myself|end my life|end it all|take my own life|commit suicide|cut myself"
          + "|hurt myself|harm myself|overdose|hang myself|slit my wrists|jump off a bridge)";

  /** Idioms that look violent but are not; blanked out before the rules run. */
  private static final List<Pattern> BENIGN =
      List.of(
          p(
              "\\b(kill|killing|killed|terminate)( -9)? (the |a |an |this |that |all |my |every"
                  + " )?(child |zombie |background |hung |stuck |running )?(process(es)?|task|job"
                  + "|thread|server|container|pod|app|program|session|query|tab|lights?|engine"
                  + "|music|bug|time|the mood|it)\\b"),
          p("\\bkill -9\\b"),
          p(
              "\\b(shoot|shooting) (you|me|him|her|them|us) (an?|the|over an?) (email|message|text"
                  + "|note|line|dm|photo|picture|invite|quote)\\b"),
          p("\\b(photo|video) ?shoot\\b"),
          p(
              "\\b(killer|killing it|killed it|slayed|slay|to die for|dying to|dying of"
                  + " laughter|dead tired|deadline|drop dead gorgeous|murder mystery|murder"
                  + " podcast)\\b"),
          p("\\b(my (feet|back|legs|head) (is|are) killing me)\\b"),
          p("\\b(beat (you|him|her|them|me) (at|in) )"),
          p("\\b(sex|sexual|sexuality) (education|ed|health|abuse prevention|abuse awareness)\\b"),
          p("\\bcut myself (shaving|cooking|on|while|by accident|accidentally|chopping)\\b"));

  private static final List<Rule> RULES =
      List.of(
          // Violence and threats against people.
          rule(VIOLENCE, "\\b" + KILL_VERB + " " + PERSON + "\\b", 0.75),
          rule(VIOLENCE, "\\b" + INTENT + " " + HARM_VERB + "\\b", 0.7),
          rule(
              VIOLENCE,
              "\\b(mass shooting|shooting spree|school shooting|massacre|genocide|bloodbath)\\b",
              0.6),
          rule(
              HARASSMENT_THREATENING, "\\b" + INTENT + " " + HARM_VERB + " " + PERSON + "\\b", 0.9),
          rule(
              HARASSMENT_THREATENING,
              "\\b(i know where you live|you('re| are) (dead|going to die|gonna die)|watch your"
                  + " back|(i'll|i will|we'll|we will) (find|hunt) you)\\b",
              0.85),
          rule(
              VIOLENCE_GRAPHIC,
              "\\b(dismember\\w*|decapitat\\w*|disembowel\\w*|mutilat\\w*|gouge (out )?(his|her"
                  + "|their|your) eyes|blood (was )?everywhere|guts (spilled|everywhere)|skin(ned)?"
                  + " (him|her|them) alive)\\b",
              0.75),
          // Harassment.
          rule(
              HARASSMENT,
              "\\byou('re| are| r)( such)? (a |an )?(fucking |stupid |worthless |pathetic |ugly"
                  + " |fat |disgusting )*(idiot|moron|loser|retard|worthless|pathetic|stupid"
                  + "|piece of (shit|garbage|trash)|waste of (space|air)|bitch|whore|slut"
                  + "|disgusting|failure)\\b",
              0.75),
          rule(
              HARASSMENT,
              "\\b(nobody (likes|loves|cares about) you|everyone hates you|shut up,? (you )?(idiot"
                  + "|moron|bitch)|go to hell|fuck (you|off)|i hope you die)\\b",
              0.7),
          rule(HARASSMENT, "\\b(kill yourself|kys|go die)\\b", 0.9),
          rule(HARASSMENT_THREATENING, "\\b(kill yourself|kys|i hope you die)\\b", 0.6),
          // Hate against protected groups.
          rule(
              HATE,
              "\\b(all |those |these |the |fucking |filthy )*"
                  + GROUP
                  + " (are|r) (all )?(animals|vermin|rats|cockroaches|parasites|subhuman|inferior"
                  + "|savages|a disease|a plague|scum|filth|terrorists|criminals)\\b",
              0.85),
          rule(
              HATE,
              "\\b(subhuman|inferior race|master race|race traitor|ethnic cleansing|white power"
                  + "|go back to your (own )?country)\\b",
              0.7),
          rule(
              HATE_THREATENING,
              "\\b(kill|exterminate|gas|hang|shoot|wipe out|get rid of|deport) (all )?(the |those"
                  + " |these )?"
                  + GROUP
                  + "\\b",
              0.85),
          rule(
              HATE,
              "\\b(kill|exterminate|gas|hang|shoot|wipe out) (all )?(the |those |these )?"
                  + GROUP
                  + "\\b",
              0.8),
          rule(
              HATE_THREATENING,
              "\\b"
                  + GROUP
                  + " (should|must|deserve to|need to) (all )?(die|be killed|be"
                  + " exterminated|be gassed|hang|burn)\\b",
              0.9),
          rule(
              HATE,
              "\\b"
                  + GROUP
                  + " (should|must|deserve to|need to) (all )?(die|be killed|be"
                  + " exterminated|be gassed|hang|burn)\\b",
              0.85),
          // Self-harm.
          rule(
              SELF_HARM,
              "\\b(kill myself|end my life|end it all|take my own life|commit suicide|cut myself"
                  + "|hurt myself|harm myself|hang myself|slit my wrists|suicide|suicidal"
                  + "|self[- ]harm|want to die|wanna die|better off dead)\\b",
              0.6),
          rule(
              SELF_HARM_INTENT,
              "\\b("
                  + INTENT.substring(1, INTENT.length() - 1)
                  + "|i'm ready to|i've decided to"
                  + "|tonight i will|i'm thinking about|i keep thinking about) "
                  + SELF_HARM_ACT
                  + "\\b",
              0.9),
          rule(
              SELF_HARM_INTENT,
              "\\b(i want to die|i wanna die|i don't want to (live|be alive) anymore|i'm better off"
                  + " dead|i am suicidal|i'm suicidal|no reason (for me )?to live)\\b",
              0.85),
          rule(SELF_HARM, "\\b(i want to die|i wanna die|i'm suicidal|i am suicidal)\\b", 0.6),
          rule(
              SELF_HARM_INSTRUCTIONS,
              "\\b"
                  + ASKING_HOW
                  + " ("
                  + SELF_HARM_ACT.substring(1, SELF_HARM_ACT.length() - 1)
                  + "|die painlessly|kill myself without pain)\\b",
              0.9),
          rule(
              SELF_HARM_INSTRUCTIONS,
              "\\b(how many|what dose of) (pills|sleeping pills|paracetamol|tylenol|insulin)"
                  + " (to|would|will) (die|kill|overdose)\\b",
              0.9),
          // Sexual content, and anything sexual involving minors.
          rule(
              SEXUAL,
              "\\b(send (me )?(nudes|naked (pics|pictures|photos))|porn|have sex with|sexting"
                  + "|blowjob|handjob|orgasm|masturbat\\w*|cum (on|in)|explicit sex"
                  + "|erotic (story|roleplay))\\b",
              0.7),
          rule(SEXUAL_MINORS, "\\b" + SEXUAL_ACT + "\\b.{0,40}\\b" + MINOR + "\\b", 0.95),
          rule(SEXUAL_MINORS, "\\b" + MINOR + "\\b.{0,40}\\b" + SEXUAL_ACT + "\\b", 0.95),
          rule(SEXUAL, "\\b" + SEXUAL_ACT + "\\b.{0,40}\\b" + MINOR + "\\b", 0.6),
          // Illicit activity.
          rule(
              ILLICIT,
              "\\b"
                  + ASKING_HOW
                  + " (make|cook|synthesi[sz]e|produce|grow|buy|get|smuggle|sell) (some )?(meth"
                  + "|methamphetamine|cocaine|crack|heroin|fentanyl|lsd|mdma|a fake (id|passport)"
                  + "|fake ids|counterfeit (money|bills|cash))\\b",
              0.85),
          rule(
              ILLICIT,
              "\\b("
                  + ASKING_HOW.substring(1, ASKING_HOW.length() - 1)
                  + ") (launder money|steal (a car|someone's identity|credit cards?)|hack into"
                  + " (someone's|my ex's|an?) (account|phone|email)|shoplift|evade taxes|write a"
                  + " phishing email|make a phishing (site|page))\\b",
              0.85),
          rule(ILLICIT, "\\b(money laundering scheme|phishing kit|carding|ransomware)\\b", 0.5),
          rule(
              ILLICIT_VIOLENT,
              "\\b(make|build|assemble|construct|3d print) (a |an )?(homemade )?(bomb|pipe bomb"
                  + "|explosive|ied|molotov( cocktail)?|ghost gun|nerve agent|napalm|silencer)\\b",
              0.9),
          rule(
              ILLICIT,
              "\\b(make|build|assemble|construct|3d print) (a |an )?(homemade )?(bomb|pipe bomb"
                  + "|explosive|ied|molotov( cocktail)?|ghost gun|nerve agent|napalm|silencer)\\b",
              0.8),
          rule(
              ILLICIT_VIOLENT,
              "\\b(buy|get) (an? )?(untraceable|unregistered|illegal) (gun|firearm|weapon)\\b",
              0.8),
          rule(
              VIOLENCE,
              "\\b(make|build|assemble) (a |an )?(homemade )?(bomb|pipe bomb|explosive|ied)\\b",
              0.6));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Uni<ModerationResult> classify(String text) {
    return Uni.createFrom().item(() -> classifyNow(text));
  }

  /** Synchronous classification; it is pure CPU work of a few microseconds per message. */
  public ModerationResult classifyNow(String text) {
    String normalised = normalise(text);
    for (Pattern benign : BENIGN) {
      normalised = benign.matcher(normalised).replaceAll(" ");
    }
    Map<ModerationCategory, Double> unflaggedProbability = new EnumMap<>(ModerationCategory.class);
    for (Rule rule : RULES) {
      if (rule.pattern().matcher(normalised).find()) {
        unflaggedProbability.merge(rule.category(), 1 - rule.weight(), (a, b) -> a * b);
      }
    }
    List<ModerationResult.CategoryScore> scores = new ArrayList<>();
    boolean anyFlagged = false;
    for (ModerationCategory category : ModerationCategory.values()) {
      double score = 1 - unflaggedProbability.getOrDefault(category, 1.0);
      score = Math.round(score * 1000) / 1000.0;
      boolean flagged = score >= FLAG_THRESHOLD;
      anyFlagged |= flagged;
      scores.add(new ModerationResult.CategoryScore(category.apiName(), score, flagged));
    }
    return new ModerationResult(scores, anyFlagged, NAME);
  }

  static String normalise(String text) {
    return " "
        + text.toLowerCase(Locale.ROOT)
            .replace('\u2019', '\'')
            .replace('\u2018', '\'')
            .replaceAll("[^\\p{L}\\p{N}'/ -]+", " ")
            .replaceAll("\\s+", " ")
            .trim()
        + " ";
  }

  private static Rule rule(ModerationCategory category, String regex, double weight) {
    return new Rule(category, p(regex), weight);
  }

  private static Pattern p(String regex) {
    return Pattern.compile(regex);
  }
}
