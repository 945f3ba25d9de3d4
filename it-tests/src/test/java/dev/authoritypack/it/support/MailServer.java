package dev.authoritypack.it.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server (GreenMail) in the test JVM, on a free loopback port; the test Keycloak's realm sends its
 * mail here (the realm export's {@code ${AUTHORITY_SMTP_*}} placeholders). Accepts any recipient.
 */
public final class MailServer {

    public static final String FROM = "no-reply@authority.test";
    private final GreenMail greenMail;

    /** A mail server of its own, for tests that start their own Keycloak nodes. */
    public static MailServer start() {
        return new MailServer();
    }

    MailServer() {
        greenMail = new GreenMail(new ServerSetup(KeycloakServer.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    public void stop() {
        greenMail.stop();
    }

    /** A received mail, decoded (MIME parts, quoted-printable). */
    public record Mail(String to, String subject, String text, String html, String contentLanguage) {

        /** The first link in the text part that starts with the given prefix. */
        public String link(String prefix) {
            Matcher m = Pattern.compile(Pattern.quote(prefix) + "[^\\s\"<>]*").matcher(text);
            if (!m.find()) {
                throw new AssertionError("no link starting with " + prefix + " in mail '" + subject + "':\n" + text);
            }
            return m.group();
        }

        /** The token in the link ({@code ?token=…}). */
        public String token(String linkPrefix) {
            String link = link(linkPrefix);
            return java.net.URLDecoder.decode(link.substring(link.indexOf("token=") + "token=".length()), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Every mail received so far for the address, oldest first. */
    public List<Mail> mailsTo(String address) {
        List<Mail> mails = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            try {
                for (var recipient : m.getRecipients(Message.RecipientType.TO)) {
                    if (recipient.toString().toLowerCase(Locale.ROOT).contains(address.toLowerCase(Locale.ROOT))) {
                        mails.add(decode(m));
                    }
                }
            } catch (MessagingException | IOException e) {
                throw new AssertionError("unreadable mail", e);
            }
        }
        return mails;
    }

    /** Waits for the n-th mail (1-based) to the address. */
    public Mail await(String address, int n, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<Mail> mails = mailsTo(address);
            if (mails.size() >= n) {
                return mails.get(n - 1);
            }
            KeycloakServer.sleep(100);
        }
        throw new AssertionError("no mail #" + n + " to " + address + " within " + timeout + "; got " + mailsTo(address).size());
    }

    public Mail await(String address, int n) {
        return await(address, n, Duration.ofSeconds(20));
    }

    /** Asserts that no further mail arrives for the address within the wait (the pack sends after answering). */
    public void assertNoMoreThan(String address, int n, Duration wait) {
        KeycloakServer.sleep(wait.toMillis());
        int got = mailsTo(address).size();
        if (got > n) {
            throw new AssertionError("expected at most " + n + " mails to " + address + ", got " + got);
        }
    }

    public Optional<Mail> last(String address) {
        List<Mail> mails = mailsTo(address);
        return mails.isEmpty() ? Optional.empty() : Optional.of(mails.get(mails.size() - 1));
    }

    private static Mail decode(MimeMessage m) throws MessagingException, IOException {
        String text = null;
        String html = null;
        Object content = m.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                Object partContent = part.getContent();
                if (partContent instanceof Multipart nested) { // multipart/alternative inside multipart/mixed
                    for (int j = 0; j < nested.getCount(); j++) {
                        BodyPart p = nested.getBodyPart(j);
                        if (p.isMimeType("text/plain")) {
                            text = (String) p.getContent();
                        } else if (p.isMimeType("text/html")) {
                            html = (String) p.getContent();
                        }
                    }
                } else if (part.isMimeType("text/plain")) {
                    text = (String) partContent;
                } else if (part.isMimeType("text/html")) {
                    html = (String) partContent;
                }
            }
        } else if (m.isMimeType("text/plain")) {
            text = (String) content;
        }
        String[] language = m.getHeader("Content-Language");
        return new Mail(m.getRecipients(Message.RecipientType.TO)[0].toString(), m.getSubject(),
                text == null ? "" : text, html == null ? "" : html, language == null ? null : language[0]);
    }
}
