// autocannon ships no type declarations; bench/sets/load.ts types the parts it uses.
declare module 'autocannon' {
  const autocannon: unknown;
  export default autocannon;
}
