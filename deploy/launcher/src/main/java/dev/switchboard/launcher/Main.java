package dev.switchboard.launcher;

/** Entry point of the one-machine launcher. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("launcher: not yet wired");
  }
}
