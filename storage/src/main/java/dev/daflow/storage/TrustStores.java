package dev.daflow.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * The HTTP client of an object store whose certificate chains to a private CA: OkHttp (MinIO's
 * client) with the JDK's trust manager over {@link StorageConfig.TrustStore}'s certificates only.
 * Host names are still verified (OkHttp's default).
 */
final class TrustStores {
  private TrustStores() {}

  /**
   * A client trusting {@code store}.
   *
   * @throws IllegalArgumentException when the store cannot be read (wrong password, not a
   *     store, no certificate), naming the file
   */
  static OkHttpClient httpClient(StorageConfig.TrustStore store) {
    X509TrustManager trust = trustManager(store);
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {trust}, null);
      return new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), trust).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS context: " + e.getMessage(), e);
    }
  }

  static X509TrustManager trustManager(StorageConfig.TrustStore store) {
    try (InputStream in = Files.newInputStream(store.location())) {
      KeyStore keys;
      if (store.type().equals("PEM")) {
        keys = KeyStore.getInstance(KeyStore.getDefaultType());
        keys.load(null, null);
        Collection<? extends Certificate> certs =
            CertificateFactory.getInstance("X.509").generateCertificates(in);
        int i = 0;
        for (Certificate c : certs) {
          keys.setCertificateEntry("ca-" + i++, c);
        }
      } else {
        keys = KeyStore.getInstance(store.type());
        keys.load(in, store.password() == null ? null : store.password().toCharArray());
      }
      if (keys.size() == 0) {
        throw new IllegalArgumentException("the object store's trust store " + store.location()
            + " holds no certificate");
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(keys);
      for (TrustManager m : factory.getTrustManagers()) {
        if (m instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK gave no X.509 trust manager");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the object store's trust store "
          + store.location() + " as " + store.type() + ": " + e.getMessage(), e);
    }
  }
}
