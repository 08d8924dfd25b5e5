/** Every refusal of this module: the message is meant for the person running the wizard. */
export class XmlEditError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XmlEditError';
  }
}
