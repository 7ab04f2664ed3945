package cn.sunlit.exchange;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Posts case events to {@code POST /exchange/events}: batches of at most 500, each request signed
 * afresh, retried on network errors, 409, 429 and 5xx with exponential backoff. Retrying is safe: the
 * platform is idempotent on event_id + data_version, so an event stored by an attempt whose answer
 * was lost comes back "duplicate" and is never stored twice. JDK only ({@link java.net.http}).
 */
public final class ExchangeClient {
    public static final int MAX_BATCH = 500;
    public static final String PATH = "/exchange/events";

    private final String api;
    private final Signer signer;
    private final HttpClient http;
    private final int attempts;

    public ExchangeClient(String api, Signer signer) {
        this(api, signer, 5);
    }

    public ExchangeClient(String api, Signer signer, int attempts) {
        this.api = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
        this.signer = signer;
        this.attempts = attempts;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The platform's answer to one batch: HTTP status and the JSON body. */
    public static final class Answer {
        public final int status;
        public final String body;

        Answer(int status, String body) {
            this.status = status;
            this.body = body;
        }

        /** True when the request was accepted and no event in it was rejected. */
        public boolean allAccepted() {
            return status == 200 && !body.contains("\"status\": \"rejected\"") && !body.contains("\"status\":\"rejected\"");
        }
    }

    /** Posts events (each one JSON object as text) in batches of at most 500; one answer per batch. */
    public List<Answer> post(List<String> events) throws IOException, InterruptedException {
        List<Answer> answers = new ArrayList<>();
        for (int start = 0; start < events.size(); start += MAX_BATCH) {
            List<String> batch = events.subList(start, Math.min(start + MAX_BATCH, events.size()));
            answers.add(postBatch("{\"events\":[" + String.join(",", batch) + "]}"));
        }
        return answers;
    }

    Answer postBatch(String json) throws IOException, InterruptedException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        IOException lastError = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                Thread.sleep(Math.min(500L << (attempt - 1), 20_000L));
            }
            long now = System.currentTimeMillis() / 1000L;  // signed afresh: ±300 s of the server's clock
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + PATH))
                    .timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, String> h : signer.headers(now, "POST", PATH, body).entrySet()) {
                request.header(h.getKey(), h.getValue());
            }
            try {
                HttpResponse<String> response = http.send(request.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                // 409: concurrent deliveries of one case collided; re-sending the same batch is safe
                if ((status == 409 || status == 429 || status >= 500) && attempt + 1 < attempts) {
                    continue;
                }
                return new Answer(status, response.body());
            } catch (IOException e) {
                lastError = e;
            }
        }
        throw lastError != null ? lastError : new IOException("no answer from " + api);
    }
}
