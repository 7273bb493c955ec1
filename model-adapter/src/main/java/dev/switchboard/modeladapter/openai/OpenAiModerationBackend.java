package dev.switchboard.modeladapter.openai;

import dev.switchboard.modeladapter.error.ModelFailure.Kind;
import dev.switchboard.modeladapter.moderation.ModerationBackend;
import dev.switchboard.modeladapter.moderation.ModerationCategory;
import dev.switchboard.modeladapter.moderation.ModerationResult;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /moderations}: reads {@code results[0].category_scores} and {@code categories}. Every
 * category of {@link ModerationCategory} is reported (0 when the provider omits it, as older
 * text-moderation models do for "illicit").
 */
public final class OpenAiModerationBackend implements ModerationBackend {

  public static final String NAME = "openai";

  private final OpenAiHttp http;
  private final String model;

  public OpenAiModerationBackend(OpenAiHttp http, String model) {
    this.http = http;
    this.model = model;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Uni<ModerationResult> classify(String text) {
    JsonObject body = new JsonObject().put("model", model).put("input", text);
    return http.postJson("/moderations", body).map(OpenAiModerationBackend::toResult);
  }

  static ModerationResult toResult(JsonObject response) {
    JsonArray results = response.getJsonArray("results");
    if (results == null || results.isEmpty()) {
      throw OpenAiHttp.failure(Kind.PROVIDER_FAILURE, "moderation response has no results", false);
    }
    JsonObject result = results.getJsonObject(0);
    JsonObject scores = result.getJsonObject("category_scores", new JsonObject());
    JsonObject flags = result.getJsonObject("categories", new JsonObject());
    List<ModerationResult.CategoryScore> out = new ArrayList<>();
    for (ModerationCategory category : ModerationCategory.values()) {
      Number score = (Number) scores.getValue(category.apiName(), 0);
      Boolean flagged = flags.getBoolean(category.apiName(), false);
      out.add(
          new ModerationResult.CategoryScore(
              category.apiName(), score.doubleValue(), Boolean.TRUE.equals(flagged)));
    }
    return new ModerationResult(out, result.getBoolean("flagged", false), NAME);
  }
}
