package dev.switchboard.safety.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A reviewer UI account; the password is stored as a bcrypt hash only. */
@Entity
@Table(name = "reviewer_account")
public class ReviewerAccountEntity extends PanacheEntityBase {
  @Id public String username;

  @Column(name = "password_hash")
  public String passwordHash;

  public String role;

  @Column(name = "created_at")
  public Instant createdAt;

  public boolean disabled;
}
