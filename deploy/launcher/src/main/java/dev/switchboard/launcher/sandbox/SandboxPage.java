package dev.switchboard.launcher.sandbox;

import java.util.List;

/**
 * The sandbox's one page, rendered on the server so it works without JavaScript; a small script
 * (served separately, allowed by the page's Content-Security-Policy) refreshes the conversation.
 */
final class SandboxPage {
  private SandboxPage() {}

  static String render(String userWaId, List<ChatLog.Line> lines, String csrfToken) {
    StringBuilder html = new StringBuilder(4096);
    html.append(
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Switchboard WhatsApp sandbox</title>
        <link rel="stylesheet" href="/sandbox.css">
        <script src="/sandbox.js" defer></script>
        </head>
        <body>
        <header><h1>WhatsApp sandbox</h1>
        <p>You are a WhatsApp user. This page plays Meta's part: it signs webhooks to the platform
        and receives its Graph API calls.</p></header>
        <main>
        """);
    html.append("<ol id=\"chat\" data-user=\"").append(Html.escape(userWaId)).append("\">\n");
    for (ChatLog.Line line : lines) {
      html.append("<li class=\"")
          .append(line.author() == ChatLog.Author.USER ? "user" : "assistant")
          .append("\"><span class=\"text\">")
          .append(Html.escape(line.text()))
          .append("</span><span class=\"status\">")
          .append(Html.escape(line.status()))
          .append("</span></li>\n");
    }
    html.append("</ol>\n")
        .append("<form id=\"composer\" method=\"post\" action=\"/send\">\n")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"")
        .append(Html.escape(csrfToken))
        .append("\">\n")
        .append("<label>From <input name=\"from\" id=\"from\" inputmode=\"numeric\" value=\"")
        .append(Html.escape(userWaId))
        .append("\" pattern=\"[1-9][0-9]{6,14}\" required></label>\n")
        .append(
            "<input name=\"text\" id=\"text\" placeholder=\"Message\" autocomplete=\"off\""
                + " maxlength=\"4096\" required autofocus>\n")
        .append("<button type=\"submit\" id=\"send\">Send</button>\n")
        .append("</form>\n</main>\n</body>\n</html>\n");
    return html.toString();
  }

  static final String STYLE =
      """
      body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 1rem auto; background: #efeae2; }
      header p { color: #555; font-size: .9rem; }
      ol#chat { list-style: none; padding: 0; min-height: 20rem; }
      ol#chat li { margin: .4rem 0; padding: .5rem .7rem; border-radius: .6rem; max-width: 80%;
        white-space: pre-wrap; overflow-wrap: anywhere; }
      li.user { background: #d9fdd3; margin-left: auto !important; }
      li.assistant { background: #fff; }
      li .status { display: block; font-size: .7rem; color: #667; text-align: right; }
      form { display: flex; gap: .4rem; flex-wrap: wrap; }
      #text { flex: 1; padding: .5rem; }
      """;

  /** Refreshes the conversation every second; builds nodes with textContent, never HTML. */
  static final String SCRIPT =
      """
      'use strict';
      (function () {
        const chat = document.getElementById('chat');
        const from = document.getElementById('from');
        async function refresh() {
          const user = from.value || chat.dataset.user;
          try {
            const response = await fetch('/conversation?from=' + encodeURIComponent(user));
            if (!response.ok) return;
            const lines = await response.json();
            chat.replaceChildren(...lines.map(line => {
              const item = document.createElement('li');
              item.className = line.author === 'USER' ? 'user' : 'assistant';
              const text = document.createElement('span');
              text.className = 'text';
              text.textContent = line.text;
              const status = document.createElement('span');
              status.className = 'status';
              status.textContent = line.status;
              item.append(text, status);
              return item;
            }));
          } catch (e) { /* the platform may be restarting; try again */ }
        }
        setInterval(refresh, 1000);
      })();
      """;
}
