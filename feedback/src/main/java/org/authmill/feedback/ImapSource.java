package org.authmill.feedback;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * Imports the reports delivered to an IMAP mailbox (RFC 9051): over TLS only (implicit TLS, {@code
 * imaps}, or a required STARTTLS), with the server's certificate checked against the system's trust
 * store or a given certificate. Each message is fetched without setting \Seen ({@code BODY.PEEK});
 * once handled (imported, a duplicate, or a bad report that would fail again) it is marked \Seen,
 * or moved to another folder. A message that failed for a reason that may pass later (the store was
 * down) is left as it was, to be fetched by the next run.
 */
public final class ImapSource {
  /** Most bytes of one message fetched. */
  static final long MAX_MESSAGE = 64L << 20;

  private ImapSource() {}

  /**
   * Where and how to read.
   *
   * @param host the server
   * @param port its port (993 for imaps, 143 for imap with STARTTLS)
   * @param implicitTls true for imaps, false for STARTTLS (then required)
   * @param user the login name
   * @param password the password
   * @param folder the folder with the reports, such as {@code INBOX}
   * @param moveTo the folder to move handled messages to, or empty to mark them \Seen
   * @param trustedCertificates PEM certificates to trust instead of the system's, or empty
   * @param timeout connect and read timeout
   */
  public record Settings(
      String host,
      int port,
      boolean implicitTls,
      String user,
      String password,
      String folder,
      Optional<String> moveTo,
      Optional<Path> trustedCertificates,
      Duration timeout) {
    /** Checks the values. */
    public Settings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(folder, "folder");
      Objects.requireNonNull(moveTo, "moveTo");
      Objects.requireNonNull(trustedCertificates, "trustedCertificates");
      if (port <= 0 || port > 65535) {
        throw new IllegalArgumentException("IMAP port out of range: " + port);
      }
    }

    @Override
    public String toString() {
      return (implicitTls ? "imaps://" : "imap://") + user + "@" + host + ":" + port + "/" + folder;
    }
  }

  /**
   * What one run did with the mailbox.
   *
   * @param fetched messages fetched
   * @param handled of those, marked or moved
   */
  public record Outcome(int fetched, int handled) {}

  /**
   * Imports the unseen messages of the folder (all of its messages when they are moved away).
   *
   * @throws IOException when the server cannot be reached, logged in to, or the folder opened
   */
  public static Outcome importMailbox(Settings settings, FeedbackImporter importer)
      throws IOException {
    String protocol = settings.implicitTls() ? "imaps" : "imap";
    Properties props = new Properties();
    String prefix = "mail." + protocol + ".";
    props.put(prefix + "host", settings.host());
    props.put(prefix + "port", Integer.toString(settings.port()));
    props.put(prefix + "connectiontimeout", Long.toString(settings.timeout().toMillis()));
    props.put(prefix + "timeout", Long.toString(settings.timeout().toMillis()));
    props.put(prefix + "writetimeout", Long.toString(settings.timeout().toMillis()));
    props.put(prefix + "peek", "true");
    props.put(prefix + "ssl.checkserveridentity", "true");
    if (!settings.implicitTls()) {
      props.put(prefix + "starttls.enable", "true");
      props.put(prefix + "starttls.required", "true");
    }
    if (settings.trustedCertificates().isPresent()) {
      props.put(
          prefix + "ssl.socketFactory",
          trusting(settings.trustedCertificates().get()).getSocketFactory());
    }
    Session session = Session.getInstance(props);
    int fetched = 0;
    int handled = 0;
    try (Store store = session.getStore(protocol)) {
      store.connect(settings.host(), settings.port(), settings.user(), settings.password());
      Folder folder = store.getFolder(settings.folder());
      if (!folder.exists()) {
        throw new IOException("IMAP folder " + settings.folder() + " does not exist");
      }
      folder.open(Folder.READ_WRITE);
      try {
        Message[] messages =
            settings.moveTo().isPresent()
                ? folder.getMessages()
                : folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        List<Message> done = new ArrayList<>();
        for (Message message : messages) {
          fetched++;
          String name = settings + ";UID=" + uid(folder, message);
          boolean ok;
          if (message.getSize() > MAX_MESSAGE) {
            importer.skip(name, "message of " + message.getSize() + " bytes, over " + MAX_MESSAGE);
            ok = true;
          } else {
            ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(Math.max(1024, message.getSize()));
            message.writeTo(bytes);
            try (InputStream in = new ByteArrayInputStream(bytes.toByteArray())) {
              ok = importer.importMessage(name, in);
            }
          }
          if (ok) {
            done.add(message);
          }
        }
        if (!done.isEmpty()) {
          Message[] handledMessages = done.toArray(Message[]::new);
          if (settings.moveTo().isPresent()) {
            Folder target = store.getFolder(settings.moveTo().get());
            if (!target.exists() && !target.create(Folder.HOLDS_MESSAGES)) {
              throw new IOException("cannot create IMAP folder " + settings.moveTo().get());
            }
            ((IMAPFolder) folder).moveMessages(handledMessages, target);
          } else {
            folder.setFlags(handledMessages, new Flags(Flags.Flag.SEEN), true);
          }
          handled = handledMessages.length;
        }
      } finally {
        folder.close(false);
      }
    } catch (MessagingException e) {
      throw new IOException("IMAP " + settings + ": " + e.getMessage(), e);
    }
    return new Outcome(fetched, handled);
  }

  private static String uid(Folder folder, Message message) throws MessagingException {
    return folder instanceof UIDFolder u
        ? Long.toString(u.getUID(message))
        : Integer.toString(message.getMessageNumber());
  }

  /** An SSL context trusting only the PEM certificates in a file. */
  static SSLContext trusting(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
      keys.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        keys.setCertificateEntry("trusted-" + i++, c);
      }
      if (i == 0) {
        throw new IOException("no certificate in " + pem);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(keys);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
    }
  }
}
