package dev.switchboard.whatsapp.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The configured business numbers, by phone_number_id. */
@ApplicationScoped
public class PhoneNumbers {
  private final Map<String, PhoneNumber> byId;
  private final List<String> appSecrets;

  public PhoneNumbers(WhatsAppConfig config) {
    WhatsAppConfig whatsapp = config;
    Map<String, PhoneNumber> numbers = new LinkedHashMap<>();
    WhatsAppConfig.DevNumber dev = whatsapp.devNumber();
    if (dev.enabled()) {
      numbers.put(
          dev.phoneNumberId(),
          new PhoneNumber(
              dev.phoneNumberId(), dev.accessToken(), dev.appSecret(), Optional.empty(), "en"));
    }
    whatsapp
        .numbers()
        .forEach(
            (id, number) ->
                numbers.put(
                    id,
                    new PhoneNumber(
                        id,
                        number.accessToken(),
                        number.appSecret(),
                        number.templateName(),
                        number.templateLanguage())));
    this.byId = Map.copyOf(numbers);
    this.appSecrets = List.copyOf(new LinkedHashSet<>(collectSecrets(numbers)));
    if (byId.isEmpty()) {
      Logger.getLogger(PhoneNumbers.class)
          .warn(
              "No WhatsApp number is configured: every webhook will be refused with 401. Set"
                  + " switchboard.whatsapp.numbers.\"<phone_number_id>\".access-token/app-secret"
                  + " or enable the dev number.");
    } else if (dev.enabled()) {
      Logger.getLogger(PhoneNumbers.class)
          .warnf(
              "The dev WhatsApp number %s with its public dev secret is enabled; never in"
                  + " production.",
              dev.phoneNumberId());
    }
  }

  private static List<String> collectSecrets(Map<String, PhoneNumber> numbers) {
    List<String> secrets = new ArrayList<>();
    numbers.values().forEach(n -> secrets.add(n.appSecret()));
    return secrets;
  }

  public Optional<PhoneNumber> byId(String phoneNumberId) {
    return Optional.ofNullable(byId.get(phoneNumberId));
  }

  /** Distinct app secrets; a webhook is authentic if one of them signed it. */
  public List<String> appSecrets() {
    return appSecrets;
  }

  public boolean isEmpty() {
    return byId.isEmpty();
  }
}
