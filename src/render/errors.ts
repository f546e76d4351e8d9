import { PapermailError } from '../errors.js';

/** A template that does not compile, or a digest that cannot be rendered safely. */
export class RenderError extends PapermailError {}
