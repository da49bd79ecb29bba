import pg from 'pg';

/**
 * node-postgres returns numeric and bigint as strings. carepulse's money, scores and counts fit a
 * JavaScript number, and pgtyped.config.json's typesOverrides promise `number` for them: this makes
 * the runtime keep that promise. Import it wherever a pool is made.
 */
const NUMERIC_OID = 1700;
const INT8_OID = 20;

pg.types.setTypeParser(NUMERIC_OID, (value) => Number.parseFloat(value));
pg.types.setTypeParser(INT8_OID, (value) => Number.parseInt(value, 10));
