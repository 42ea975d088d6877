/** `email-providers` (npm) ships no types: its default export is the list of webmail domains. */
declare module 'email-providers' {
  const domains: string[];
  export default domains;
}
