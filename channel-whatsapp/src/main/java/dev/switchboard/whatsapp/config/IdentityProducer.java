package dev.switchboard.whatsapp.config;

import dev.switchboard.contracts.identity.SubjectIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes the shared subject-id derivation injectable. {@code switchboard.identity.pepper} is shared
 * by every service (so it lives outside this service's own {@link WhatsAppConfig} prefix); the dev
 * default is public, production reads {@code SWITCHBOARD_IDENTITY_PEPPER}.
 */
@ApplicationScoped
public class IdentityProducer {
  public static final String PEPPER = "switchboard.identity.pepper";
  public static final String DEV_PEPPER = "dev-only-pepper-change-me-0001";

  @Produces
  @Singleton
  SubjectIds subjectIds(@ConfigProperty(name = PEPPER, defaultValue = DEV_PEPPER) String pepper) {
    return new SubjectIds(pepper);
  }
}
