package dev.switchboard.safety.redaction;

/** Kinds of personal data the redactor replaces, each with the placeholder shown to reviewers. */
public enum PiiType {
  EMAIL("[EMAIL]"),
  IBAN("[IBAN]"),
  CARD("[CARD]"),
  SSN("[SSN]"),
  PHONE("[PHONE]");

  private final String placeholder;

  PiiType(String placeholder) {
    this.placeholder = placeholder;
  }

  public String placeholder() {
    return placeholder;
  }
}
