package dev.switchboard.systemtests;

import com.google.protobuf.CodedInputStream;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenTelemetry collector stand-in: accepts OTLP/HTTP protobuf exports at {@code /v1/traces} and
 * keeps the spans. It reads only the fields the tests look at, straight from the wire format of
 * {@code opentelemetry/proto/collector/trace/v1/trace_service.proto} (ExportTraceServiceRequest {1:
 * ResourceSpans{1: Resource{1: KeyValue attributes}, 2: ScopeSpans{2: Span}}}).
 */
final class OtlpTraceReceiver implements AutoCloseable {
  /** One received span; ids are lowercase hex, the parent is empty for a root span. */
  record ReceivedSpan(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      long startUnixNanos,
      long endUnixNanos) {
    static final int SERVER = 2;
    static final int CLIENT = 3;
    static final int PRODUCER = 4;
    static final int CONSUMER = 5;
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<String> malformed = new CopyOnWriteArrayList<>();
  private final List<byte[]> exports = new CopyOnWriteArrayList<>();

  private OtlpTraceReceiver(HttpServer server) {
    this.server = server;
  }

  static OtlpTraceReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    OtlpTraceReceiver receiver = new OtlpTraceReceiver(server);
    server.createContext("/v1/traces", receiver::handle);
    server.start();
    return receiver;
  }

  /** The value for {@code quarkus.otel.exporter.otlp.traces.endpoint}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Forgets the spans received so far. */
  void clear() {
    spans.clear();
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** Every export body as received, to search for what must never be exported. */
  List<byte[]> rawExports() {
    return List.copyOf(exports);
  }

  /** Exports that could not be read; a test should expect none. */
  List<String> malformed() {
    return List.copyOf(malformed);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      exports.add(body);
      try {
        spans.addAll(parseExport(body));
        // An empty ExportTraceServiceResponse: everything accepted.
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
      } catch (IOException | RuntimeException e) {
        malformed.add(e.toString());
        exchange.sendResponseHeaders(400, -1);
      }
    }
  }

  static List<ReceivedSpan> parseExport(byte[] body) throws IOException {
    List<ReceivedSpan> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(body);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == field(1, 2)) {
        readResourceSpans(in.readByteArray(), out);
      } else {
        in.skipField(tag);
      }
    }
    return out;
  }

  private static void readResourceSpans(byte[] bytes, List<ReceivedSpan> out) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String service = "";
    List<byte[]> scopeSpans = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == field(1, 2)) {
        service = serviceName(in.readByteArray());
      } else if (tag == field(2, 2)) {
        scopeSpans.add(in.readByteArray());
      } else {
        in.skipField(tag);
      }
    }
    for (byte[] scope : scopeSpans) {
      CodedInputStream scopeIn = CodedInputStream.newInstance(scope);
      for (int tag; (tag = scopeIn.readTag()) != 0; ) {
        if (tag == field(2, 2)) {
          out.add(readSpan(service, scopeIn.readByteArray()));
        } else {
          scopeIn.skipField(tag);
        }
      }
    }
  }

  /** Resource{1: repeated KeyValue{1: key, 2: AnyValue{1: string_value}}}: service.name. */
  private static String serviceName(byte[] resource) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(resource);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag != field(1, 2)) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream kv = CodedInputStream.newInstance(in.readByteArray());
      String key = "";
      String value = "";
      for (int t; (t = kv.readTag()) != 0; ) {
        if (t == field(1, 2)) {
          key = kv.readString();
        } else if (t == field(2, 2)) {
          CodedInputStream any = CodedInputStream.newInstance(kv.readByteArray());
          for (int a; (a = any.readTag()) != 0; ) {
            if (a == field(1, 2)) {
              value = any.readString();
            } else {
              any.skipField(a);
            }
          }
        } else {
          kv.skipField(t);
        }
      }
      if (key.equals("service.name")) {
        return value;
      }
    }
    return "";
  }

  /**
   * Span{1: trace_id, 2: span_id, 4: parent_span_id, 5: name, 6: kind, 7: start_time_unix_nano, 8:
   * end_time_unix_nano}.
   */
  private static ReceivedSpan readSpan(String service, byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    HexFormat hex = HexFormat.of();
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    int kind = 0;
    long start = 0;
    long end = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> traceId = hex.formatHex(in.readByteArray());
        case 2 -> spanId = hex.formatHex(in.readByteArray());
        case 4 -> parent = hex.formatHex(in.readByteArray());
        case 5 -> name = in.readString();
        case 6 -> kind = in.readEnum();
        case 7 -> start = in.readFixed64();
        case 8 -> end = in.readFixed64();
        default -> in.skipField(tag);
      }
    }
    return new ReceivedSpan(service, traceId, spanId, parent, name, kind, start, end);
  }

  private static int field(int number, int wireType) {
    return (number << 3) | wireType;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
