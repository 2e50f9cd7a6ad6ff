package dev.modelseal.bootstrap;

/**
 * Thrown into the application when ModelSeal refuses a model load. When this is thrown, the runtime
 * (DJL, ONNX Runtime, PyTorch) has not received any byte of the model.
 *
 * <p>It extends {@link SecurityException} so that it passes through {@code catch (IOException e)}
 * fallbacks in application code; catch {@code SecurityException} to handle it portably. The message
 * has the form {@code model rejected (REASON): location: detail} and never contains key material.
 */
public final class ModelVerificationException extends SecurityException {
  private static final long serialVersionUID = 1L;

  private final RejectReason reason;
  private final String modelLocation;

  /**
   * Creates the exception.
   *
   * @param reason the stable reason
   * @param modelLocation the model path, or a description such as {@code <byte[] 123 bytes>}
   * @param detail one line saying what exactly failed
   */
  public ModelVerificationException(RejectReason reason, String modelLocation, String detail) {
    super("model rejected (" + reason.name() + "): " + modelLocation + ": " + detail);
    this.reason = reason;
    this.modelLocation = modelLocation;
  }

  /** Returns why the load was refused. */
  public RejectReason reason() {
    return reason;
  }

  /** Returns the model location as the application named it. */
  public String modelLocation() {
    return modelLocation;
  }
}
