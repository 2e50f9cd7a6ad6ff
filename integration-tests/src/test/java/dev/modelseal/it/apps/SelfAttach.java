package dev.modelseal.it.apps;

import com.sun.tools.attach.VirtualMachine;

/**
 * {@code SelfAttach AGENT_JAR AGENT_ARGS}: prints {@code MAIN-STARTED}, then loads the agent into this very JVM
 * through the Attach API (needs {@code -Djdk.attach.allowAttachSelf=true}) and prints {@code ATTACH-RETURNED} or
 * {@code ATTACH-FAILED <exception>}.
 */
public final class SelfAttach {
  private SelfAttach() {}

  public static void main(String[] args) {
    System.out.println("MAIN-STARTED");
    System.out.flush();
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
      try {
        vm.loadAgent(args[0], args[1]);
      } finally {
        vm.detach();
      }
      System.out.println("ATTACH-RETURNED");
    } catch (Exception e) {
      System.out.println("ATTACH-FAILED " + e);
    }
  }
}
