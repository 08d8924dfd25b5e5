// Stands in for Ink's devtools module in the bundle: DEV=true connects nothing.
export {};
