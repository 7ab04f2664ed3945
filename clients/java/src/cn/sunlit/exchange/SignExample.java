package cn.sunlit.exchange;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints the string to sign and the signature of one request, to compare with what your system
 * sends when the platform answers 401 ("签名不正确").
 *
 * <pre>
 * java -cp build cn.sunlit.exchange.SignExample SECRET 1349050000 POST /exchange/events body.json
 * </pre>
 */
public final class SignExample {
    private SignExample() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: SignExample <secret> <unix-seconds> <METHOD> <path> <body-file>");
            System.exit(2);
        }
        byte[] body = Files.readAllBytes(Path.of(args[4]));
        long timestamp = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println(Signer.stringToSign(timestamp, args[2], args[3], body).replace("\n", "\\n"));
        out.println(new Signer("-", args[0]).signature(timestamp, args[2], args[3], body));
    }
}
