package cn.sunlit.exchange;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A department system reports one licensing case (申办 → 受理 → 审批环节 → 办结) to Sunlit.
 *
 * <pre>
 * SUNLIT_API=http://127.0.0.1:8000 SUNLIT_KEY_ID=... SUNLIT_SECRET=... \
 *   java -cp build cn.sunlit.exchange.PostEventsExample 320300015XK00400 3203000152026000001
 * </pre>
 *
 * Prints the platform's answer and exits 0 when every event was stored (or was a duplicate).
 */
public final class PostEventsExample {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private PostEventsExample() {
    }

    static String event(String caseNo, String itemCode, String type, OffsetDateTime at, Map<String, Object> data,
                        String qualifier) {
        Map<String, Object> ev = new LinkedHashMap<>();
        // a stable id per act: re-sending the same act is answered "duplicate", never stored twice
        ev.put("event_id", caseNo + "-" + type + (qualifier == null ? "" : "-" + qualifier));
        ev.put("case_no", caseNo);
        ev.put("item_code", itemCode);
        ev.put("type", type);
        ev.put("occurred_at", at.format(ISO));
        ev.put("data_version", 1);
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("name", "王某");
        actor.put("staff_no", "E0123");
        ev.put("actor", actor);
        ev.put("data", data);
        return Json.write(ev);
    }

    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        String api = System.getenv("SUNLIT_API");
        String keyId = System.getenv("SUNLIT_KEY_ID");
        String secret = System.getenv("SUNLIT_SECRET");
        if (api == null || keyId == null || secret == null || args.length < 2) {
            System.err.println("usage: SUNLIT_API=… SUNLIT_KEY_ID=… SUNLIT_SECRET=… "
                    + "java cn.sunlit.exchange.PostEventsExample <item_code> <case_no>");
            System.exit(2);
        }
        String itemCode = args[0];
        String caseNo = args[1];
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(3).withNano(0);

        Map<String, Object> applicant = map("type", "person", "name", "张三", "id_type", "身份证",
                "id_no", "320302199001011234", "phone", "13800000000");
        List<String> events = new ArrayList<>();
        events.add(event(caseNo, itemCode, "submitted", start,
                map("applicant", applicant, "channel", "window", "materials", List.of("申请书")), null));
        events.add(event(caseNo, itemCode, "accepted", start.plusMinutes(30),
                map("status", "accepted", "query_password", "j4v4-pw"), null));
        events.add(event(caseNo, itemCode, "step", start.plusHours(1),
                map("step_code", "1", "step_name", "承办", "opinion", "材料齐全，同意", "status", "passed"), "1"));
        events.add(event(caseNo, itemCode, "concluded", start.plusHours(2),
                map("result_code", 0, "result_desc", "出证办结", "cert_name", "许可证", "cert_no", "JAVA-0001"), null));

        ExchangeClient client = new ExchangeClient(api, new Signer(keyId, secret));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        boolean ok = true;
        for (ExchangeClient.Answer answer : client.post(events)) {
            out.println(answer.body);
            ok &= answer.allAccepted();
        }
        System.exit(ok ? 0 : 1);
    }
}
