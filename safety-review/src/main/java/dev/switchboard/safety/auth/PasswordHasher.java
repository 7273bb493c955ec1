package dev.switchboard.safety.auth;

import io.quarkus.elytron.security.common.BcryptUtil;
import java.security.GeneralSecurityException;
import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

/** bcrypt hashing and verification through the Elytron utilities Quarkus ships. */
public final class PasswordHasher {
  private static final WildFlyElytronPasswordProvider PROVIDER =
      new WildFlyElytronPasswordProvider();

  /** Verified against when the user does not exist, so timing does not reveal valid names. */
  private static final String DUMMY_HASH = BcryptUtil.bcryptHash("not-a-real-password");

  private PasswordHasher() {}

  public static String hash(String password) {
    return BcryptUtil.bcryptHash(password);
  }

  public static boolean matches(String password, String modularCryptHash) {
    try {
      Password raw = ModularCrypt.decode(modularCryptHash);
      PasswordFactory factory =
          PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT, PROVIDER);
      BCryptPassword restored = (BCryptPassword) factory.translate(raw);
      return factory.verify(restored, password.toCharArray());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Spends the same time as a real check, for unknown user names. */
  public static void burnTime(String password) {
    matches(password, DUMMY_HASH);
  }
}
