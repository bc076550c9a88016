/** A decision that the event, valid as it is, asks for nothing, and why (logged and counted). */
export type Ignored = { readonly ignore: string };
