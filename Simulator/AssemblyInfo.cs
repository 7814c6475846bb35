// QSim.Simulator: circuits, parameters, observables and their execution on an accelerator.
[assembly: System.CLSCompliant(false)]
