// FIRST's own v3.0 calculator, as shipped (without type declarations) in
// @secvisogram/csaf-validator-lib. The official-vector test compares Vigil's v3.0 scores with it
// where the Python reference implementation and FIRST's float-based calculator disagree.

declare module '@secvisogram/csaf-validator-lib/lib/shared/first/cvsscalc30.js' {
  const CVSS: {
    calculateCVSSFromVector(vector: string):
      | {
          success: true;
          baseMetricScore: string;
          temporalMetricScore: string;
          environmentalMetricScore: string;
        }
      | { success: false; errorType: string };
  };
  export default CVSS;
}
