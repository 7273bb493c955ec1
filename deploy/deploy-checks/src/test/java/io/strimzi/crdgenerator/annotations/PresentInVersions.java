package io.strimzi.crdgenerator.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Stand-in for Strimzi's {@code crd-annotations} type of the same name, which Strimzi does not
 * publish to Maven Central. The Strimzi API model classes carry this annotation (runtime retention)
 * on properties that exist only in some API versions; declaring the type here lets the deploy
 * checks read it by reflection. Only the {@code value} element (a version range such as {@code
 * v1beta2}, {@code v1+} or {@code v1alpha1-v1beta2}) is declared; others are ignored.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.TYPE})
public @interface PresentInVersions {
  String value();
}
