package cn.sunlit.exchange;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests to Sunlit (阳光政务) as docs/CONTRACT.md §2 prescribes:
 *
 * <pre>
 * string to sign = timestamp + "\n" + METHOD + "\n" + path + "\n" + hex(sha256(body))
 * X-Sunlit-Signature = hex(HMAC-SHA256(secret, string to sign))
 * </pre>
 *
 * {@code path} is the request path without the query string ({@code /exchange/events});
 * {@code body} is exactly the bytes sent. JDK only: {@link javax.crypto.Mac}, {@link MessageDigest}.
 */
public final class Signer {
    private final String keyId;
    private final byte[] secret;

    public Signer(String keyId, String secret) {
        this.keyId = keyId;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }

    public static String sha256Hex(byte[] body) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static String stringToSign(long timestamp, String method, String path, byte[] body) {
        return timestamp + "\n" + method.toUpperCase(Locale.ROOT) + "\n" + path + "\n" + sha256Hex(body);
    }

    public String signature(long timestamp, String method, String path, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal(stringToSign(timestamp, method, path, body).getBytes(StandardCharsets.UTF_8));
            return hex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The three X-Sunlit-* headers for a request sent at {@code timestamp} (Unix seconds). */
    public Map<String, String> headers(long timestamp, String method, String path, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Sunlit-Key", keyId);
        headers.put("X-Sunlit-Timestamp", Long.toString(timestamp));
        headers.put("X-Sunlit-Signature", signature(timestamp, method, path, body));
        return headers;
    }
}
