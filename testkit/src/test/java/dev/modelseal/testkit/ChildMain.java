package dev.modelseal.testkit;

/**
 * Child program for {@link ForkedJvmTest}. Commands (one per argument, run in order): {@code out:TEXT},
 * {@code err:TEXT}, {@code env:NAME} (prints {@code NAME=<value or null>}), {@code prop:NAME},
 * {@code bulk:N} (N stdout lines), {@code sleep:MILLIS}, {@code exit:CODE}.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        for (String arg : args) {
            String command = arg.substring(0, arg.indexOf(':'));
            String value = arg.substring(arg.indexOf(':') + 1);
            switch (command) {
                case "out" -> System.out.println(value);
                case "err" -> System.err.println(value);
                case "env" -> System.out.println(value + "=" + System.getenv(value));
                case "prop" -> System.out.println(value + "=" + System.getProperty(value));
                case "bulk" -> {
                    for (int i = 0; i < Integer.parseInt(value); i++) {
                        System.out.println("line " + i);
                    }
                }
                case "sleep" -> Thread.sleep(Long.parseLong(value));
                case "exit" -> System.exit(Integer.parseInt(value));
                default -> throw new IllegalArgumentException(arg);
            }
            System.out.flush();
        }
    }
}
