package dev.switchboard.modeladapter.moderation;

/** The OpenAI moderation categories (omni-moderation), under their API names. */
public enum ModerationCategory {
  HARASSMENT("harassment"),
  HARASSMENT_THREATENING("harassment/threatening"),
  HATE("hate"),
  HATE_THREATENING("hate/threatening"),
  ILLICIT("illicit"),
  ILLICIT_VIOLENT("illicit/violent"),
  SELF_HARM("self-harm"),
  SELF_HARM_INTENT("self-harm/intent"),
  SELF_HARM_INSTRUCTIONS("self-harm/instructions"),
  SEXUAL("sexual"),
  SEXUAL_MINORS("sexual/minors"),
  VIOLENCE("violence"),
  VIOLENCE_GRAPHIC("violence/graphic");

  private final String apiName;

  ModerationCategory(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }
}
