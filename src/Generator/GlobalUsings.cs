// Namespaces nearly every file of this project imports, said once (ImplicitUsings is off
// repository-wide; this is the explicit list).
global using System;
global using System.Collections.Generic;
global using System.Globalization;
global using System.Linq;
global using System.Text;
global using KeOpsGen.Generator.Diagnostics;
global using KeOpsGen.Generator.Models;
global using KeOpsGen.Generator.Reductions;
global using Microsoft.CodeAnalysis;
// The formula IR and the pipeline's records are the vocabulary of every stage after them
// (which stage may use which is checked by StageDependencyTests, by symbol, not by using).
global using KeOpsGen.Generator.Formulas;
global using KeOpsGen.Generator.Planning;
global using OutputShape = KeOpsGen.Generator.Reductions.ReductionOutputs;
global using Reduction = KeOpsGen.Generator.Reductions.ReductionOp;
