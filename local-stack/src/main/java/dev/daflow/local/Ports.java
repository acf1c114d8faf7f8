package dev.daflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** TCP ports on 127.0.0.1, where every part of the local stack listens. */
public final class Ports {
  /** The address every child process listens on. */
  public static final String HOST = "127.0.0.1";

  private Ports() {
  }

  /**
   * {@code port} when it is free, or a free port chosen by the system when {@code port} is 0.
   *
   * @param what the port's use, for the message, e.g. {@code Kafka broker}
   * @throws IllegalStateException naming the port when it is busy
   */
  public static int freeOr(int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return socket.getLocalPort();
    } catch (java.net.BindException e) {
      throw new IllegalStateException(what + " port " + port + " on " + HOST
          + " is busy (another process listens on it): stop it or choose another port", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + what + " port " + port, e);
    }
  }

  /** Whether something accepts connections on {@code port} of 127.0.0.1. */
  public static boolean isOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
