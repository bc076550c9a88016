import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini ships without messages (every issue reads "Invalid input"), and errors must say what is
// wrong. Imported for its effect by every module that defines schemas. Only the English locale is
// loaded: importing the `z` namespace as a value would drag all 40 locales into the bundle.
config(en());
