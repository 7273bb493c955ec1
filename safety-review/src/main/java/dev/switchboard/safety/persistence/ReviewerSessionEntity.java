package dev.switchboard.safety.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A login session. Only the SHA-256 of the cookie value is stored. */
@Entity
@Table(name = "reviewer_session")
public class ReviewerSessionEntity extends PanacheEntityBase {
  @Id
  @Column(name = "token_hash")
  public String tokenHash;

  public String username;

  @Column(name = "csrf_token")
  public String csrfToken;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "expires_at")
  public Instant expiresAt;
}
