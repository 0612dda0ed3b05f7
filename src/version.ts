// The compiler's version, written into every generated file's header.
export const version = "0.1.0";
