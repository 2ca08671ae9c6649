/** A function added to JSONata, with its JSONata signature. */
export type ExpressionFunction = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSONata checks the argument types against `signature`
  implementation: (...args: any[]) => unknown;
  signature: string;
};

// TODO: replaced by the exact money functions ($addVat, $roundMoney, $formatDecimal).
export const moneyFunctions: Record<string, ExpressionFunction> = {};
