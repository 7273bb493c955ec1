package dev.switchboard.whatsapp.format;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the model's Markdown into WhatsApp formatting: {@code **bold**} to {@code *bold*}, {@code
 * *italic*} to {@code _italic_}, {@code ~~strike~~} to {@code ~strike~}, code kept, headings
 * flattened to bold lines, bullets to "- ", links to "text (url)", tables to plain lines.
 * Line-based: fenced code blocks pass through untouched (without their language tag); inline code
 * spans are protected from the other rules.
 */
public final class WhatsAppFormatter {
  private static final Pattern FENCE = Pattern.compile("^\\s*```.*$");
  private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern BULLET = Pattern.compile("^(\\s*)[*+-]\\s+(.*)$");
  private static final Pattern RULE = Pattern.compile("^\\s{0,3}([-*_])(\\s*\\1){2,}\\s*$");
  private static final Pattern TABLE_SEPARATOR =
      Pattern.compile("^\\s*\\|?\\s*:?-{2,}:?\\s*(\\|\\s*:?-{2,}:?\\s*)*\\|?\\s*$");
  private static final Pattern TABLE_ROW = Pattern.compile("^\\s*\\|(.*)\\|\\s*$");
  private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\(([^)\\s]+)[^)]*\\)");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)[^)]*\\)");
  private static final Pattern AUTOLINK = Pattern.compile("<(https?://[^>\\s]+)>");
  private static final Pattern BOLD_STARS = Pattern.compile("\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*");
  private static final Pattern BOLD_UNDERSCORES =
      Pattern.compile("(?<![\\w_])__(?=\\S)(.+?)(?<=\\S)__(?![\\w_])");
  private static final Pattern ITALIC_STAR =
      Pattern.compile("(?<![\\w*])\\*(?=[^\\s*])([^*\\n]+?)(?<=[^\\s*])\\*(?![\\w*])");
  private static final Pattern STRIKE = Pattern.compile("~~(?=\\S)(.+?)(?<=\\S)~~");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]+`");

  /** Stands for "*" of bold while italics are rewritten. */
  private static final char BOLD_MARK = '\u0001';

  public String format(String markdown) {
    if (markdown == null || markdown.isEmpty()) {
      return "";
    }
    String[] lines = markdown.replace("\r\n", "\n").split("\n", -1);
    List<String> out = new ArrayList<>(lines.length);
    boolean inFence = false;
    for (String line : lines) {
      if (FENCE.matcher(line).matches()) {
        out.add("```");
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        out.add(line);
        continue;
      }
      if (line.contains("|") && TABLE_SEPARATOR.matcher(line).matches()) {
        continue; // the |---|---| line of a table carries no words
      }
      out.add(formatLine(line));
    }
    return String.join("\n", out).strip();
  }

  private String formatLine(String line) {
    if (RULE.matcher(line).matches()) {
      return "";
    }
    Matcher heading = HEADING.matcher(line);
    if (heading.matches()) {
      String text = inline(heading.group(1)).replace("*", "");
      return text.isBlank() ? "" : "*" + text + "*";
    }
    Matcher row = TABLE_ROW.matcher(line);
    if (row.matches()) {
      List<String> cells = new ArrayList<>();
      for (String cell : row.group(1).split("\\|")) {
        if (!cell.isBlank()) {
          cells.add(inline(cell.strip()));
        }
      }
      return String.join(", ", cells);
    }
    Matcher bullet = BULLET.matcher(line);
    if (bullet.matches()) {
      return bullet.group(1) + "- " + inline(bullet.group(2));
    }
    return inline(line);
  }

  /** Inline rules, with code spans set aside so their content stays literal. */
  private String inline(String text) {
    List<String> codeSpans = new ArrayList<>();
    Matcher code = INLINE_CODE.matcher(text);
    StringBuilder protectedText = new StringBuilder();
    while (code.find()) {
      codeSpans.add(code.group());
      code.appendReplacement(protectedText, "\u0002" + (codeSpans.size() - 1) + "\u0003");
    }
    code.appendTail(protectedText);
    String s = protectedText.toString();
    s =
        IMAGE
            .matcher(s)
            .replaceAll(m -> Matcher.quoteReplacement(linkText(m.group(1), m.group(2))));
    s = LINK.matcher(s).replaceAll(m -> Matcher.quoteReplacement(linkText(m.group(1), m.group(2))));
    s = AUTOLINK.matcher(s).replaceAll("$1");
    s = BOLD_STARS.matcher(s).replaceAll(BOLD_MARK + "$1" + BOLD_MARK);
    s = BOLD_UNDERSCORES.matcher(s).replaceAll(BOLD_MARK + "$1" + BOLD_MARK);
    s = ITALIC_STAR.matcher(s).replaceAll("_$1_");
    s = STRIKE.matcher(s).replaceAll("~$1~");
    s = s.replace(BOLD_MARK, '*');
    for (int i = 0; i < codeSpans.size(); i++) {
      s = s.replace("\u0002" + i + "\u0003", codeSpans.get(i));
    }
    return s;
  }

  private static String linkText(String text, String url) {
    String label = text.strip();
    if (label.isEmpty() || label.equals(url)) {
      return url;
    }
    return label + " (" + url + ")";
  }
}
