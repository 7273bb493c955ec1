package dev.switchboard.whatsapp.config;

import dev.switchboard.contracts.identity.SubjectIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the shared subject-id derivation injectable. */
@ApplicationScoped
public class IdentityProducer {
  @Produces
  @Singleton
  SubjectIds subjectIds(SwitchboardConfig config) {
    return new SubjectIds(config.identity().pepper());
  }
}
