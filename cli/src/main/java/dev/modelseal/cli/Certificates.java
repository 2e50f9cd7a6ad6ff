package dev.modelseal.cli;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads PEM certificate files (text before the first BEGIN line is allowed, as certtool writes). */
final class Certificates {
  private static final int MAX_BYTES = 1024 * 1024;

  private Certificates() {}

  static List<X509Certificate> read(CliIo io, String arg) throws CliException {
    byte[] pem = Inputs.readBounded(io, arg, MAX_BYTES);
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new CliException("no certificate in " + arg);
      }
      return out;
    } catch (CertificateException e) {
      throw new CliException("cannot read certificates from " + arg + ": not PEM X.509");
    }
  }
}
