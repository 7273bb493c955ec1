package dev.switchboard.deploychecks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.crdgenerator.annotations.PresentInVersions;
import io.strimzi.crdgenerator.annotations.RequiredInVersions;
import java.beans.Introspector;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads each rendered object into its typed Java model and reports every field the model does not
 * know. The fabric8 and Strimzi models keep unknown fields in an "additional properties" map
 * instead of failing, so a misspelt {@code livenesProbe} would otherwise pass silently; this walks
 * the whole object graph and treats any non-empty map as an error. For Strimzi kinds it also checks
 * the per-version annotations: a property that exists only in {@code v1beta2} is an error in a
 * {@code v1} resource, and so is a missing property required in that version.
 */
final class StrictModel {
  private static final Map<String, Class<?>> STRIMZI_KINDS =
      Map.of(
          "Kafka", Kafka.class,
          "KafkaNodePool", KafkaNodePool.class,
          "KafkaTopic", KafkaTopic.class,
          "KafkaUser", KafkaUser.class);

  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  private static final ObjectMapper STRIMZI =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private StrictModel() {}

  /** True for API groups whose kinds have a Java model here (core Kubernetes and Strimzi). */
  static boolean hasModel(JsonNode object) {
    String group = group(object);
    return !group.contains(".") || group.endsWith(".k8s.io") || group.equals("kafka.strimzi.io");
  }

  /** The problems found reading {@code object}; empty when it matches its model exactly. */
  static List<String> violations(JsonNode object) {
    String name = Kustomize.describe(object);
    List<String> problems = new ArrayList<>();
    Object typed;
    String apiVersion = object.path("apiVersion").asText();
    try {
      if (group(object).equals("kafka.strimzi.io")) {
        Class<?> type = STRIMZI_KINDS.get(object.path("kind").asText());
        if (type == null) {
          return List.of(name + ": no Strimzi model for kind " + object.path("kind").asText());
        }
        typed = STRIMZI.treeToValue(object, type);
      } else {
        typed = KUBERNETES.unmarshal(object.toString());
        if (typed instanceof GenericKubernetesResource) {
          return List.of(name + ": no typed fabric8 model for " + apiVersion);
        }
      }
    } catch (Exception e) {
      return List.of(name + ": does not deserialize: " + e.getMessage());
    }
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    walk(typed, name, version, problems, Collections.newSetFromMap(new IdentityHashMap<>()));
    return problems;
  }

  private static String group(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static void walk(
      Object value, String path, String version, List<String> problems, Set<Object> seen) {
    if (value == null || isLeaf(value)) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int index = 0;
      for (Object item : items) {
        walk(item, path + "[" + index++ + "]", version, problems, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> walk(item, path + "." + key, version, problems, seen));
      return;
    }
    if (!isModel(value.getClass()) || !seen.add(value)) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (!isProperty(getter)) {
        continue;
      }
      Object property = invoke(getter, value);
      if (getter.getName().equals("getAdditionalProperties")) {
        if (property instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
          problems.add(path + ": unknown field(s) " + unknown.keySet());
        }
        continue;
      }
      String child = path + "." + propertyName(getter);
      checkVersion(getter, property, child, version, problems);
      walk(property, child, version, problems, seen);
    }
  }

  private static void checkVersion(
      Method getter, Object property, String path, String version, List<String> problems) {
    PresentInVersions present = annotation(getter, PresentInVersions.class);
    if (present != null
        && property != null
        && !ApiVersionRange.contains(present.value(), version)) {
      problems.add(
          path + ": only exists in API version(s) " + present.value() + ", not " + version);
    }
    RequiredInVersions required = annotation(getter, RequiredInVersions.class);
    if (required != null
        && property == null
        && ApiVersionRange.contains(required.value(), version)) {
      problems.add(path + ": required in API version " + version);
    }
  }

  private static <A extends java.lang.annotation.Annotation> A annotation(
      Method getter, Class<A> type) {
    A onMethod = getter.getAnnotation(type);
    if (onMethod != null) {
      return onMethod;
    }
    String name = Introspector.decapitalize(getter.getName().replaceFirst("^(get|is)", ""));
    for (Class<?> c = getter.getDeclaringClass(); c != null; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField(name);
        return field.getAnnotation(type);
      } catch (NoSuchFieldException e) {
        // look further up
      }
    }
    return null;
  }

  private static boolean isLeaf(Object value) {
    return value instanceof CharSequence
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Enum<?>
        || value instanceof Character
        || value.getClass().isPrimitive();
  }

  private static boolean isModel(Class<?> type) {
    String name = type.getName();
    return name.startsWith("io.fabric8.kubernetes.api.model") || name.startsWith("io.strimzi.api");
  }

  private static boolean isProperty(Method method) {
    String name = method.getName();
    return method.getParameterCount() == 0
        && !Modifier.isStatic(method.getModifiers())
        && ((name.startsWith("get") && name.length() > 3)
            || (name.startsWith("is") && name.length() > 2))
        && !name.equals("getClass")
        && isModel(method.getDeclaringClass());
  }

  private static String propertyName(Method getter) {
    JsonProperty json = getter.getAnnotation(JsonProperty.class);
    if (json != null && !json.value().isEmpty()) {
      return json.value();
    }
    return Introspector.decapitalize(getter.getName().replaceFirst("^(get|is)", ""));
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
